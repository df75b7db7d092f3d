package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBudgetTest {
  @Test
  void allowsTheMaximumInARowThenRefuses() {
    RestartBudget budget = new RestartBudget(3, Duration.ofMinutes(10));
    assertThat(budget.tryRestart()).isTrue();
    assertThat(budget.tryRestart()).isTrue();
    assertThat(budget.tryRestart()).isTrue();
    assertThat(budget.restarts()).isEqualTo(3);
    assertThat(budget.tryRestart()).isFalse();
  }

  @Test
  void aServiceThatRanLongEnoughStartsANewCount() throws InterruptedException {
    RestartBudget budget = new RestartBudget(1, Duration.ofMillis(1));
    assertThat(budget.tryRestart()).isTrue();
    Thread.sleep(20);
    assertThat(budget.tryRestart()).isTrue();
    assertThat(budget.restarts()).isEqualTo(1);
  }
}
