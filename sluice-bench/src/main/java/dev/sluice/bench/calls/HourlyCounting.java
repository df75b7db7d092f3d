package dev.sluice.bench.calls;

import dev.sluice.bench.PlainLoopWork;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.core.calls.RadioCodes;
import java.util.HashMap;
import java.util.Map;

/**
 * One plain-loop thread of the calls benchmark: the least work any implementation of the calls
 * pipeline must do, decoding every record with {@link PoliceCallCodec}, looking its disposition up
 * in the radio codes, and counting it per hour, call type and disposition in a map of its own.
 */
final class HourlyCounting implements PlainLoopWork {
  private static final long HOUR_MILLIS = 3_600_000;

  /** What a count is kept under: the hour's start in epoch millis, type, code, description. */
  record Key(long hourStart, String callType, String disposition, String description) {}

  private final RadioCodes codes;
  private final Map<Key, Long> counts = new HashMap<>();
  private long quarantined;

  HourlyCounting(RadioCodes codes) {
    this.codes = codes;
  }

  @Override
  public void accept(byte[] key, byte[] value) {
    PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(value);
    if (!decoded.ok()) {
      quarantined++;
      return;
    }
    long millis = decoded.callEpochMillis();
    counts.merge(
        new Key(
            Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS,
            decoded.call().callType(),
            decoded.call().disposition(),
            codes.describe(decoded.call().disposition())),
        1L,
        Long::sum);
  }

  Map<Key, Long> counts() {
    return counts;
  }

  long quarantined() {
    return quarantined;
  }
}
