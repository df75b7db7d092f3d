package dev.sluice.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Where a streaming query's micro-batches spend their time, for the benchmark's diagnostics: the
 * phases Spark reports per trigger ({@code addBatch} is the pipeline and its sink, the rest is
 * Spark's own bookkeeping), and within {@code addBatch} each Spark job by the order in which it
 * started (Spark names every job of a streaming query after the query's start, so the place is what
 * tells them apart). The reviews sink, for example, starts three jobs at once (quarantine,
 * predictions, totals; whichever reaches a partition first computes and caches it: Kafka read,
 * decoding, model), then reads the word counts, one job per partition, inside the ledger's commit.
 * Jobs overlap, so the time on the driver is what {@code addBatch} spends while no job runs: the
 * sink's JDBC statements and the commit.
 */
final class BatchTimeline {
  /** The local property with which Spark marks the jobs of a micro-batch. */
  static final String BATCH_ID_PROPERTY = "streaming.sql.batchId";

  private final Map<Integer, JobStart> running = new ConcurrentHashMap<>();
  private final Map<String, Integer> jobsSeenPerBatch = new HashMap<>();

  /** Jobs running now, and since when at least one has been; for the time covered by jobs. */
  private int jobsRunning;

  private long jobsRunningSince;
  private long millisWithJobs;
  private final Map<Integer, Long> jobMillis = new TreeMap<>();
  private final Map<String, Long> phaseMillis = new LinkedHashMap<>();

  /**
   * The state stores' figures summed over the batches and stateful operators: rows updated and
   * removed, the time spent on them and on commits, and the provider's own timings (RocksDB's
   * flush, checkpoint and file sync among them).
   */
  private final Map<String, Long> stateFigures = new TreeMap<>();

  private long batches;
  private final SparkListener jobs = new JobListener();
  private final StreamingQueryListener progress = new ProgressListener();
  private final String queryName;

  private record JobStart(int place, long time) {}

  BatchTimeline(String queryName) {
    this.queryName = queryName;
  }

  void register(SparkSession spark) {
    spark.sparkContext().addSparkListener(jobs);
    spark.streams().addListener(progress);
  }

  void unregister(SparkSession spark) {
    spark.sparkContext().removeSparkListener(jobs);
    spark.streams().removeListener(progress);
  }

  /**
   * Waits until Spark's listener buses delivered the progress of {@code batches} batches (they
   * deliver asynchronously), up to {@code millis}.
   */
  void awaitBatches(long batches, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      synchronized (this) {
        if (this.batches >= batches && running.isEmpty()) {
          return;
        }
      }
      Thread.sleep(20);
    }
  }

  /** One line per item, slowest phases first, as mean milliseconds per batch. */
  synchronized List<String> report() {
    List<String> lines = new ArrayList<>();
    if (batches == 0) {
      return lines;
    }
    long addBatch = phaseMillis.getOrDefault("addBatch", 0L);
    long trigger = phaseMillis.getOrDefault("triggerExecution", 0L);
    lines.add(line(trigger, "the whole trigger (mean of " + batches + " batches)"));
    lines.add(line(addBatch, "addBatch: the pipeline and its sink"));
    for (Map.Entry<Integer, Long> job : jobMillis.entrySet()) {
      lines.add(line(job.getValue(), "  job " + job.getKey() + " of the batch"));
    }
    lines.add(line(millisWithJobs, "  with at least one job running"));
    lines.add(
        line(
            Math.max(0, addBatch - millisWithJobs),
            "  on the driver with no job running (sink's JDBC statements, ledger commit)"));
    for (Map.Entry<String, Long> phase : sortedByValue(phaseMillis)) {
      if (!phase.getKey().equals("addBatch") && !phase.getKey().equals("triggerExecution")) {
        lines.add(line(phase.getValue(), "Spark: " + phase.getKey()));
      }
    }
    for (Map.Entry<String, Long> figure : stateFigures.entrySet()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%,11.0f     state store: %s",
              (double) figure.getValue() / batches,
              figure.getKey()));
    }
    return lines;
  }

  private String line(long totalMillis, String what) {
    return String.format(Locale.ROOT, "%,8.0f ms  %s", (double) totalMillis / batches, what);
  }

  private static List<Map.Entry<String, Long>> sortedByValue(Map<String, Long> map) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(map.entrySet());
    entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    return entries;
  }

  private final class JobListener extends SparkListener {
    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String batchId =
          start.properties() == null ? null : start.properties().getProperty(BATCH_ID_PROPERTY);
      if (batchId == null) {
        return;
      }
      if (start.stageInfos().isEmpty()) {
        return;
      }
      synchronized (BatchTimeline.this) {
        int place = jobsSeenPerBatch.merge(batchId, 1, Integer::sum);
        running.put(start.jobId(), new JobStart(place, start.time()));
        if (jobsRunning++ == 0) {
          jobsRunningSince = start.time();
        }
      }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
      JobStart start = running.remove(end.jobId());
      if (start == null) {
        return;
      }
      synchronized (BatchTimeline.this) {
        jobMillis.merge(start.place(), end.time() - start.time(), Long::sum);
        if (--jobsRunning == 0) {
          millisWithJobs += end.time() - jobsRunningSince;
        }
      }
    }
  }

  private final class ProgressListener extends StreamingQueryListener {
    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      StreamingQueryProgress progress = event.progress();
      if (!queryName.equals(progress.name()) || progress.numInputRows() == 0) {
        return;
      }
      synchronized (BatchTimeline.this) {
        batches++;
        progress
            .durationMs()
            .forEach((phase, millis) -> phaseMillis.merge(phase, millis, Long::sum));
        for (StateOperatorProgress state : progress.stateOperators()) {
          stateFigures.merge("rows updated", state.numRowsUpdated(), Long::sum);
          stateFigures.merge("rows removed", state.numRowsRemoved(), Long::sum);
          stateFigures.merge("rows kept (at the batch's end)", state.numRowsTotal(), Long::sum);
          stateFigures.merge("ms updating", state.allUpdatesTimeMs(), Long::sum);
          stateFigures.merge("ms removing", state.allRemovalsTimeMs(), Long::sum);
          stateFigures.merge("ms committing", state.commitTimeMs(), Long::sum);
          // The provider's timings; its other metrics are gauges and versions, which no mean fits.
          state
              .customMetrics()
              .forEach(
                  (name, value) -> {
                    if (name.endsWith("Latency") || name.endsWith("LatencyMs")) {
                      stateFigures.merge("ms " + name, value, Long::sum);
                    }
                  });
        }
      }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}
  }
}
