package dev.sluice.bench;

import java.util.Map;

/**
 * How the harness ({@link PipelineBench}) watches a query that runs in real-time mode: it keeps no
 * batch ledger, so records are neither counted nor timed by one. Instead, after each load the
 * harness appends a marker to every partition, a record the query writes a result for; a real-time
 * query reads each partition in order, so once every marker's result is in the store, the query has
 * read everything before it. Latency is then measured per result, from its record's Kafka timestamp
 * to the moment the result was written.
 */
public interface RealTimeResults {
  /** What a result is, in the report's lines, e.g. {@code alerts}. */
  String unit();

  /**
   * Marker {@code name} (e.g. {@code warm-up}, {@code end}) for {@code partition}: a record the
   * query surely writes a result for, its key unique to the run, the name and the partition.
   */
  BenchRecord marker(String runId, String name, int partition);

  /**
   * Starts watching what the query writes to {@code target}, before the query starts: a watch that
   * listens for results (rather than reading them afterwards) must not miss the first ones.
   */
  Watch watch(BenchTarget target);

  /** The results of one phase as they are written; closed at the end of the phase. */
  interface Watch extends AutoCloseable {
    /** How many of the markers named {@code name} have their result in the store. */
    long markersWritten(String runId, String name);

    /** Results written so far, markers included, for the progress lines. */
    long results();

    /**
     * Per result of a record that is no marker and was stamped by Kafka at {@code fromMillis} or
     * later: milliseconds from the record's Kafka timestamp to the moment the result was written
     * (both this machine's clock).
     */
    double[] latenciesMs(String runId, long fromMillis);

    /**
     * Latencies to other results of the same records, measured the same way, by what they are to,
     * e.g. {@code revenue.computed}: reported beside the main one.
     */
    default Map<String, double[]> otherLatenciesMs(String runId, long fromMillis) {
      return Map.of();
    }

    @Override
    void close();
  }
}
