package dev.sluice.bench.security;

import dev.sluice.bench.PlainLoopWork;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.detect.Finding;
import dev.sluice.detect.Inspector;
import dev.sluice.spark.security.InjectionInspection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The plain loop's work for the security pipeline: decode each sensor event and inspect it with an
 * {@link Inspector} of this thread's own, the calls the injection query makes per event, counting
 * the findings per class as the alerts table keeps them (one per class, rule and field of an
 * event).
 */
final class InjectionScan implements PlainLoopWork, AutoCloseable {
  private final Inspector inspector = Inspector.open();
  private final Map<String, Long> findings = new TreeMap<>();
  private long rejected;

  @Override
  public void accept(byte[] key, byte[] value) {
    SensorEventCodec.Decoded decoded = SensorEventCodec.decode(value);
    if (!decoded.ok()) {
      rejected++;
      return;
    }
    List<Finding> found = InjectionInspection.inspect(decoded.event(), inspector);
    Set<List<String>> distinct = new HashSet<>();
    for (Finding finding : found) {
      if (distinct.add(List.of(finding.kind(), finding.rule(), finding.field()))) {
        findings.merge(finding.kind(), 1L, Long::sum);
      }
    }
  }

  /** Findings per class, as many as the alerts table would hold. */
  Map<String, Long> findings() {
    return findings;
  }

  /** Events the codec rejected, which the pipeline quarantines. */
  long rejected() {
    return rejected;
  }

  @Override
  public void close() {
    inspector.close();
  }
}
