package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spark.testing.TestSchemas;
import dev.sluice.store.Database;
import dev.sluice.store.RecordIdClaims;
import dev.sluice.store.RecordIdClaims.Claim;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims of record ids ({@link RecordIdClaims}, through which {@link RecordIds} deduplicates) on a
 * real PostgreSQL, from concurrent transactions, as two tasks of a query claim them.
 */
class RecordIdClaimsIT {
  private static final String PIPELINE = "calls";

  private Database database;

  @BeforeEach
  void freshSchema() throws SQLException {
    database = TestSchemas.migrated("claims");
  }

  @Test
  void claimsThatShareIdsInOppositeOrdersWaitForEachOtherInsteadOfDeadlocking() throws Exception {
    Claim firstA = claim("a", 1);
    Claim firstB = claim("b", 2);
    try (Connection first = database.connect();
        Connection second = database.connect()) {
      // The first claim is half-way through [a, b]: it holds "a" and has yet to insert "b".
      first.setAutoCommit(false);
      RecordIdClaims.claim(first, PIPELINE, List.of(firstA));
      long secondPid = backendPid(second);
      CompletableFuture<Map<String, Claim>> secondOwners =
          CompletableFuture.supplyAsync(
              () -> claimOrFail(second, List.of(claim("b", 11), claim("a", 12))));
      awaitWaitingForALock(secondPid);

      // Had the second claim inserted "b" before waiting for "a", this would wait for it in turn,
      // and PostgreSQL would abort one of them as a deadlock.
      Map<String, Claim> firstOwners = RecordIdClaims.claim(first, PIPELINE, List.of(firstB));
      first.commit();

      assertThat(firstOwners).containsExactlyInAnyOrderEntriesOf(Map.of("b", firstB));
      assertThat(secondOwners.get(30, TimeUnit.SECONDS))
          .containsExactlyInAnyOrderEntriesOf(Map.of("a", firstA, "b", firstB));
    }
  }

  @Test
  void anIdClaimedTwiceInOneCallIsOwnedByTheEarlierEntry() throws SQLException {
    try (Connection connection = database.connect()) {
      Claim earlier = claim("z", 7);
      Map<String, Claim> owners =
          RecordIdClaims.claim(
              connection, PIPELINE, List.of(earlier, claim("y", 8), claim("z", 6)));
      assertThat(owners)
          .containsExactlyInAnyOrderEntriesOf(Map.of("z", earlier, "y", claim("y", 8)));
    }
  }

  private static Claim claim(String id, long offset) {
    return new Claim(id, "calls", 0, offset);
  }

  private static Map<String, Claim> claimOrFail(Connection connection, List<Claim> claims) {
    try {
      return RecordIdClaims.claim(connection, PIPELINE, claims);
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  private static long backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
      pid.next();
      return pid.getLong(1);
    }
  }

  /** Waits until the backend {@code pid} waits for a lock: the second claim met the first's. */
  private void awaitWaitingForALock(long pid) throws SQLException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    try (Connection observer = database.connect();
        PreparedStatement waiting =
            observer.prepareStatement(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?")) {
      waiting.setLong(1, pid);
      while (Instant.now().isBefore(deadline)) {
        try (ResultSet row = waiting.executeQuery()) {
          if (row.next() && "Lock".equals(row.getString(1))) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the second claim never waited for the first one's lock");
  }
}
