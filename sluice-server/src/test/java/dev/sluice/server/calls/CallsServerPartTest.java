package dev.sluice.server.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.Problem;
import org.junit.jupiter.api.Test;

class CallsServerPartTest {
  @Test
  void hoursDefaultToADayAndABadValueIsA400NamingTheRange() {
    assertThat(CallsServerPart.hours(null)).isEqualTo(24);
    assertThat(CallsServerPart.hours(" 168 ")).isEqualTo(168);
    for (String bad : new String[] {"0", "745", "-1", "1.5", "abc", ""}) {
      assertThatThrownBy(() -> CallsServerPart.hours(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              Problem.class,
              p ->
                  assertThat(p.getMessage())
                      .isEqualTo("hours must be a whole number from 1 to 744, got '" + bad + "'"));
    }
  }
}
