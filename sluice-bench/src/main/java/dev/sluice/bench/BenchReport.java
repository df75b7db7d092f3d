package dev.sluice.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code ./sluice bench <pipeline>}: a few summary lines for people and one JSON
 * line for scripts.
 *
 * @param pipeline the pipeline's name
 * @param unit what a record is, e.g. {@code reviews}
 * @param records records loaded and drained
 * @param loadPerSecond records per second of the bulk load
 * @param sparkStartSeconds starting Spark and preparing the pipeline's Spark part (e.g. loading a
 *     model), not part of the pipeline's time
 * @param pipelineSeconds from the query's start to its end after draining the topic
 * @param pipelineCpuSeconds CPU time this JVM used meanwhile (Spark's driver and executors; not
 *     Kafka's or PostgreSQL's)
 * @param baselineSeconds of the plain loop over the same topic
 * @param baselineCpuSeconds CPU time this JVM used meanwhile
 * @param latency the latency measurement, or {@code null} when it was skipped
 * @param sparkMaster where Spark ran, e.g. {@code local[2]}
 */
record BenchReport(
    String pipeline,
    String unit,
    String sparkMaster,
    long records,
    double loadPerSecond,
    double sparkStartSeconds,
    double pipelineSeconds,
    double pipelineCpuSeconds,
    double baselineSeconds,
    double baselineCpuSeconds,
    Latency latency) {
  /**
   * The goal every pipeline shares: the pipeline at half the plain loop's rate or better. The
   * latency target is the pipeline's own ({@link PipelineBenchmark#latencyTargetMs()}).
   */
  static final double TARGET_RATIO = 0.5;

  /**
   * @param targetPerSecond the rate asked for
   * @param seconds the duration asked for
   * @param sent records the broker acknowledged
   * @param sentPerSecond the rate achieved
   * @param committed of which the pipeline committed before it was stopped, or {@link #UNKNOWN}
   *     when it did not finish them all and cannot say how many it did (a real-time query)
   * @param catchUpSeconds from the last acknowledgement until everything sent was committed
   * @param stats latencies of the committed records, or of the results written
   * @param measuredUnit what {@code stats} counts: the records' unit, or the results' (alerts)
   * @param targetP99Ms the pipeline's latency target at {@code targetPerSecond}
   * @param warmUpSeconds of load before the measured {@code seconds}, not measured
   */
  record Latency(
      long targetPerSecond,
      int seconds,
      long sent,
      double sentPerSecond,
      long committed,
      double catchUpSeconds,
      LatencyStats stats,
      String measuredUnit,
      double targetP99Ms,
      int warmUpSeconds) {
    static final long UNKNOWN = -1;

    /** The producer kept the rate within 5%. */
    boolean producerKeptUp() {
      return sentPerSecond >= 0.95 * targetPerSecond;
    }

    boolean allCommitted() {
      return committed >= sent;
    }

    /**
     * Everything sent was committed within the latency target of the last send, or within a second:
     * the catch-up is polled, and a real-time query's end markers take a round trip of their own.
     */
    boolean pipelineKeptUp() {
      return allCommitted() && catchUpSeconds * 1000 <= Math.max(targetP99Ms, 1_000);
    }
  }

  double pipelinePerSecond() {
    return records / pipelineSeconds;
  }

  double baselinePerSecond() {
    return records / baselineSeconds;
  }

  double ratio() {
    return pipelinePerSecond() / baselinePerSecond();
  }

  /** The last line of the output. */
  String json() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("records", records);
    json.put("pipeline_rps", Math.round(pipelinePerSecond()));
    json.put("baseline_rps", Math.round(baselinePerSecond()));
    json.put("ratio", Math.round(ratio() * 1000) / 1000.0);
    // Without measured records there are no percentiles: null, not a latency of 0 ms.
    if (latency == null || latency.stats().records() == 0) {
      json.putNull("latency_p50_ms");
      json.putNull("latency_p99_ms");
    } else {
      json.put("latency_p50_ms", Math.round(latency.stats().p50Ms()));
      json.put("latency_p99_ms", Math.round(latency.stats().p99Ms()));
    }
    return json.toString();
  }

  /** The lines before the JSON: each result with its target and whether it was met. */
  List<String> summary(int cores, double loadAverage) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Sluice "
            + pipeline
            + " benchmark: "
            + grouped(records)
            + " "
            + unit
            + ", Spark "
            + sparkMaster
            + ", "
            + cores
            + " cores, load average "
            + String.format(Locale.ROOT, "%.1f", loadAverage)
            + " at the end");
    lines.add(
        String.format(Locale.ROOT, "  load                %,12.0f %s/s", loadPerSecond, unit));
    lines.add(
        String.format(
            Locale.ROOT,
            "  pipeline            %,12.0f records/s  (%.1f s, %,.0f records per CPU-second; Spark start-up %.1f s not included)",
            pipelinePerSecond(),
            pipelineSeconds,
            records / pipelineCpuSeconds,
            sparkStartSeconds));
    lines.add(
        String.format(
            Locale.ROOT,
            "  plain loop          %,12.0f records/s  (%.1f s, %,.0f records per CPU-second; 2 threads, no Spark)",
            baselinePerSecond(),
            baselineSeconds,
            records / baselineCpuSeconds));
    lines.add(
        String.format(
            Locale.ROOT,
            "  ratio               %12.3f            target >= %.2f: %s",
            ratio(),
            TARGET_RATIO,
            ratio() >= TARGET_RATIO ? "met" : "MISSED"));
    if (latency == null) {
      lines.add("  latency             skipped (--latency-seconds 0)");
      return lines;
    }
    LatencyStats stats = latency.stats();
    lines.add(
        String.format(
            Locale.ROOT,
            "  latency p50 / p99   %,8.0f / %,.0f ms   target p99 <= %,.0f ms: %s (max %,.0f ms, %s %s)",
            stats.p50Ms(),
            stats.p99Ms(),
            latency.targetP99Ms(),
            stats.p99Ms() <= latency.targetP99Ms() ? "met" : "MISSED",
            stats.maxMs(),
            grouped(stats.records()),
            latency.measuredUnit()));
    lines.add(
        String.format(
            Locale.ROOT,
            "  latency load        %,12.0f %s/s for %d s after a %d s warm-up (target %,d/s)%s",
            latency.sentPerSecond(),
            unit,
            latency.seconds(),
            latency.warmUpSeconds(),
            latency.targetPerSecond(),
            latency.producerKeptUp()
                ? ""
                : ": the producer could NOT keep the rate on this machine"));
    if (latency.committed() == Latency.UNKNOWN) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  latency caveat      the pipeline could NOT keep up: it had not read all %s %s %.0f s after the last send; the percentiles cover the %s written by then",
              grouped(latency.sent()),
              unit,
              latency.catchUpSeconds(),
              latency.measuredUnit()));
    } else if (!latency.allCommitted()) {
      lines.add(
          "  latency caveat      the pipeline could NOT keep up: only "
              + grouped(latency.committed())
              + " of "
              + grouped(latency.sent())
              + " "
              + unit
              + " were committed before it was stopped; the percentiles cover the committed ones only");
    } else if (!latency.pipelineKeptUp()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  latency caveat      the pipeline fell behind: it was done with the last record %.1f s after the last send",
              latency.catchUpSeconds()));
    }
    return lines;
  }

  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
