package dev.sluice.spark.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Where a streaming query's micro-batches spend their time, for the benchmark's diagnostics: the
 * phases Spark reports per trigger ({@code addBatch} is the pipeline and its sink, the rest is
 * Spark's own bookkeeping), and within {@code addBatch} each Spark job by its place in the batch
 * (Spark names every job of a streaming query after the query's start, so the place is what tells
 * them apart). With the reviews sink as it is, job 1 computes and caches the batch (Kafka read,
 * decoding, model) while writing the quarantine, job 2 writes the predictions, job 3 aggregates
 * and writes the word counts, job 4 the totals. What {@code addBatch} spends outside jobs is work
 * on the driver: the sink's JDBC statements and the ledger's commit.
 */
final class BatchTimeline {
  /** The local property with which Spark marks the jobs of a micro-batch. */
  static final String BATCH_ID_PROPERTY = "streaming.sql.batchId";

  private final Map<Integer, JobStart> running = new ConcurrentHashMap<>();
  private final Map<String, Integer> jobsSeenPerBatch = new HashMap<>();
  private final Map<String, Long> jobMillis = new LinkedHashMap<>();
  private final Map<String, Long> phaseMillis = new LinkedHashMap<>();
  private long batches;
  private final SparkListener jobs = new JobListener();
  private final StreamingQueryListener progress = new ProgressListener();
  private final String queryName;

  private record JobStart(String batchId, long time) {}

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
    long inJobs = 0;
    for (Map.Entry<String, Long> job : jobMillis.entrySet()) {
      lines.add(line(job.getValue(), "  " + job.getKey()));
      inJobs += job.getValue();
    }
    lines.add(line(Math.max(0, addBatch - inJobs), "  on the driver between jobs (sink's JDBC statements, ledger commit)"));
    for (Map.Entry<String, Long> phase : sortedByValue(phaseMillis)) {
      if (!phase.getKey().equals("addBatch") && !phase.getKey().equals("triggerExecution")) {
        lines.add(line(phase.getValue(), "Spark: " + phase.getKey()));
      }
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
      String batchId = start.properties() == null ? null : start.properties().getProperty(BATCH_ID_PROPERTY);
      if (batchId == null) {
        return;
      }
      if (start.stageInfos().isEmpty()) {
        return;
      }
      running.put(start.jobId(), new JobStart(batchId, start.time()));
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
      JobStart start = running.remove(end.jobId());
      if (start == null) {
        return;
      }
      synchronized (BatchTimeline.this) {
        int n = jobsSeenPerBatch.merge(start.batchId(), 1, Integer::sum);
        jobMillis.merge("job " + n + " of the batch", end.time() - start.time(), Long::sum);
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
        progress.durationMs().forEach((phase, millis) -> phaseMillis.merge(phase, millis, Long::sum));
      }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}
  }
}
