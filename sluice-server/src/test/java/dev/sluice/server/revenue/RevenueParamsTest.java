package dev.sluice.server.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.server.Problem;
import org.junit.jupiter.api.Test;

class RevenueParamsTest {
  @Test
  void anIdFollowsTheCodecsRules() {
    assertThat(RevenueParams.id("acct-00001")).isEqualTo("acct-00001");
    assertThat(RevenueParams.id("kunde-ä-7 <b>")).isEqualTo("kunde-ä-7 <b>");
    assertThat(RevenueParams.id("x".repeat(200))).hasSize(200);
    for (String bad : new String[] {"", "x".repeat(201), "a\u0001b", "tab\there"}) {
      Problem problem = catchThrowableOfType(Problem.class, () -> RevenueParams.id(bad));
      assertThat(problem).as("id %s", bad).isNotNull();
      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem.detail()).startsWith("id must");
    }
    assertThat(catchThrowableOfType(Problem.class, () -> RevenueParams.id(null)).detail())
        .startsWith("id is required");
  }

  @Test
  void aLimitNamesItsParameter() {
    assertThat(RevenueParams.limit("history", null, 20, 100)).isEqualTo(20);
    assertThat(RevenueParams.limit("history", "100", 20, 100)).isEqualTo(100);
    Problem problem =
        catchThrowableOfType(Problem.class, () -> RevenueParams.limit("history", "101", 20, 100));
    assertThat(problem.detail()).startsWith("history must be a whole number from 1 to 100");
  }

  @Test
  void amountsAreExactWithoutTrailingZeros() {
    assertThat(RevenueReads.amount(102_502_345L)).isEqualTo("10250.2345");
    assertThat(RevenueReads.amount(2_500_000L)).isEqualTo("250");
    assertThat(RevenueReads.amount(-5_000L)).isEqualTo("-0.5");
    assertThat(RevenueReads.amount(0)).isEqualTo("0");
  }
}
