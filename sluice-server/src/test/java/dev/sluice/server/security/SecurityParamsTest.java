package dev.sluice.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.Problem;
import dev.sluice.server.security.SecurityQueries.Range;
import dev.sluice.server.security.SecurityQueries.TrafficMeasure;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SecurityParamsTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:15:42.123Z");

  @Test
  void theDefaultRangeIsTheHourUpToTheEndOfTheCurrentMinute() {
    Range range = SecurityParams.range(null, null, SecurityParams.MAX_RANGE, NOW);
    assertThat(range.from()).isEqualTo(Instant.parse("2026-11-30T09:16:00Z"));
    assertThat(range.to()).isEqualTo(Instant.parse("2026-11-30T10:16:00Z"));
  }

  @Test
  void oneEndAloneSetsTheOtherAnHourAwayAndZonesAreHonoured() {
    Range fromOnly =
        SecurityParams.range("2026-11-30T09:00:00+01:00", null, SecurityParams.MAX_RANGE, NOW);
    assertThat(fromOnly.from()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    assertThat(fromOnly.to()).isEqualTo(Instant.parse("2026-11-30T09:00:00Z"));
    Range toOnly =
        SecurityParams.range(null, "2026-11-30T08:00:00Z", SecurityParams.MAX_RANGE, NOW);
    assertThat(toOnly.from()).isEqualTo(Instant.parse("2026-11-30T07:00:00Z"));
  }

  @Test
  void aRangeMayBeExactlyAsLongAsItsMaximumAndNoLonger() {
    assertThat(
            SecurityParams.range(
                    "2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z", Duration.ofDays(1), NOW)
                .to())
        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    assertThatThrownBy(
            () ->
                SecurityParams.range(
                    "2026-11-29T08:00:00Z", "2026-11-30T08:00:01Z", Duration.ofDays(1), NOW))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("to must be at most 24 hours after from");
  }

  @Test
  void anEmptyRangeIsRefused() {
    assertThatThrownBy(
            () ->
                SecurityParams.range(
                    "2026-11-30T08:00:00Z", "2026-11-30T08:00:00Z", Duration.ofDays(1), NOW))
        .hasMessageContaining("to must be a time after from (2026-11-30T08:00:00Z)");
  }

  @Test
  void classesAreTheDetectorsWords() {
    assertThat(SecurityParams.className(null)).isNull();
    assertThat(SecurityParams.className("synflood")).isEqualTo("synflood");
    assertThat(SecurityParams.className("cmd-injection_2")).isEqualTo("cmd-injection_2");
    for (String bad : new String[] {"", "Sqli", "1xss", "x'--", "a".repeat(41), "xss "}) {
      assertThatThrownBy(() -> SecurityParams.className(bad))
          .as(bad)
          .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(400))
          .hasMessageStartingWith("class must be");
    }
  }

  @Test
  void choicesOriginsAndInputsNameWhatTheyAccept() {
    assertThat(SecurityParams.choice("by", "events", TrafficMeasure.class, TrafficMeasure.BYTES))
        .isEqualTo(TrafficMeasure.EVENTS);
    assertThat(SecurityParams.choice("by", null, TrafficMeasure.class, TrafficMeasure.BYTES))
        .isEqualTo(TrafficMeasure.BYTES);
    assertThatThrownBy(
            () -> SecurityParams.choice("by", "BYTES", TrafficMeasure.class, TrafficMeasure.BYTES))
        .hasMessage("by must be one of bytes, events, got 'BYTES'");
    assertThat(SecurityParams.origin(null)).isEqualTo("stream");
    assertThat(SecurityParams.origin("batch:/data/captures 1")).isEqualTo("batch:/data/captures 1");
    assertThatThrownBy(() -> SecurityParams.origin("batch:a\u0000b"))
        .hasMessageStartingWith("origin must be");
    assertThat(SecurityParams.input("sensor-events")).isEqualTo("sensor-events");
    assertThatThrownBy(() -> SecurityParams.input("Packets"))
        .hasMessageStartingWith("input must be");
  }

  @Test
  void idsAndOffsetsAreBounded() {
    assertThat(SecurityParams.id("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> SecurityParams.id("9223372036854775808"))
        .hasMessageStartingWith("id must be");
    assertThatThrownBy(() -> SecurityParams.id("-3")).hasMessageContaining("got '-3'");
    assertThat(SecurityParams.offset("100000")).isEqualTo(100_000);
    assertThatThrownBy(() -> SecurityParams.offset("100001"))
        .hasMessage("offset must be a whole number from 0 to 100000, got '100001'");
  }
}
