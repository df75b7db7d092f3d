package dev.sluice.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.Problem;
import java.io.ByteArrayInputStream;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** The small input checks of the API, without a server. */
class ValidationTest {

  @Test
  void limitDefaultsAndBounds() {
    assertThat(Reads.limit(null, 100, 1000)).isEqualTo(100);
    assertThat(Reads.limit("1", 100, 1000)).isEqualTo(1);
    assertThat(Reads.limit(" 1000 ", 100, 1000)).isEqualTo(1000);
    for (String bad : new String[] {"0", "1001", "-1", "1.5", "", "abc", "99999999999"}) {
      assertThatThrownBy(() -> Reads.limit(bad, 100, 1000))
          .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(400));
    }
  }

  @Test
  void onlyJsonIsAccepted() {
    RecordIngest.requireJson("application/json");
    RecordIngest.requireJson("Application/JSON; charset=utf-8");
    for (String bad :
        new String[] {
          null, "text/plain", "application/x-www-form-urlencoded", "application/jsonp"
        }) {
      assertThatThrownBy(() -> RecordIngest.requireJson(bad))
          .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(415));
    }
  }

  @Test
  void bodyIsReadUpToTheLimitPlusOne() throws Exception {
    byte[] data = new byte[100_000];
    assertThat(RecordIngest.readAtMost(new ByteArrayInputStream(data), 65_537)).hasSize(65_537);
    assertThat(RecordIngest.readAtMost(new ByteArrayInputStream(new byte[10]), 65_537)).hasSize(10);
    assertThat(RecordIngest.readAtMost(new ByteArrayInputStream(new byte[0]), 65_537)).isEmpty();
  }

  @Test
  void unreachableDatabaseIs503AndOtherErrorsAre500() {
    assertThat(Reads.databaseProblem(new SQLTransientConnectionException("pool timeout")).status())
        .isEqualTo(503);
    assertThat(Reads.databaseProblem(new SQLException("refused", "08001")).status()).isEqualTo(503);
    assertThat(Reads.databaseProblem(new SQLException("shutting down", "57P01")).status())
        .isEqualTo(503);
    assertThat(Reads.databaseProblem(new SQLException("syntax", "42601")).status()).isEqualTo(500);
  }
}
