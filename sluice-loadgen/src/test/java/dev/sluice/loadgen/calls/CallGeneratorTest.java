package dev.sluice.loadgen.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.calls.PoliceCall;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.core.calls.RadioCodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallGeneratorTest {
  static final long START = Instant.parse("2018-12-31T08:00:00Z").toEpochMilli();

  @Test
  void theSameSeedMakesTheSameCalls() {
    assertThat(calls(7, 500)).isEqualTo(calls(7, 500));
    assertThat(calls(7, 500)).isNotEqualTo(calls(8, 500));
  }

  @Test
  void everyCallDecodesWithTimesAdvancingAtTheGivenDensity() {
    List<PoliceCall> calls = calls(1, 12_000);
    long previous = Long.MIN_VALUE;
    for (PoliceCall call : calls) {
      PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(PoliceCallCodec.encode(call));
      assertThat(decoded.reason()).as(call.toString()).isNull();
      assertThat(decoded.callEpochMillis()).isGreaterThanOrEqualTo(previous);
      previous = decoded.callEpochMillis();
    }
    // 12,000 calls at 120 an hour: about 100 hours of event time.
    double hours = (previous - START) / 3_600_000.0;
    assertThat(hours).isBetween(90.0, 110.0);
    assertThat(calls.stream().map(PoliceCall::crimeId).distinct()).hasSize(calls.size());
  }

  @Test
  void typesAndDispositionsFollowTheirSharesWithAFewUnknownCodes() {
    List<PoliceCall> calls = calls(3, 20_000);
    Map<String, Integer> types = new HashMap<>();
    Map<String, Integer> codes = new HashMap<>();
    RadioCodes published = RadioCodes.published();
    int unknown = 0;
    for (PoliceCall call : calls) {
      types.merge(call.callType(), 1, Integer::sum);
      codes.merge(call.disposition(), 1, Integer::sum);
      if (published.description(call.disposition()).isEmpty()) {
        unknown++;
      }
    }
    assertThat(share(types, "Passing Call", calls))
        .isCloseTo(
            CallGenerator.CALL_TYPES.share("Passing Call"),
            org.assertj.core.data.Offset.offset(0.01));
    assertThat(types.get("Passing Call")).isGreaterThan(types.get("Traffic Stop"));
    assertThat(codes.keySet()).containsAll(published.asMap().keySet());
    assertThat(unknown / (double) calls.size()).isBetween(0.01, 0.03);
  }

  private static double share(Map<String, Integer> counts, String key, List<PoliceCall> calls) {
    return counts.getOrDefault(key, 0) / (double) calls.size();
  }

  private static List<PoliceCall> calls(long seed, int count) {
    CallGenerator generator =
        new CallGenerator(new CallGenerator.Settings(seed, "run", START, 120, 0.02));
    List<PoliceCall> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(generator.next());
    }
    return calls;
  }
}
