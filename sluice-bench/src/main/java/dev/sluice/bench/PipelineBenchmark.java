package dev.sluice.bench;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.store.Database;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline's part in {@code sluice-bench}, behind {@code ./sluice bench <pipeline>}: what only
 * the pipeline knows about measuring it. The harness ({@link PipelineBench}) does the rest, the
 * same for every pipeline: fresh topics, schemas and checkpoints; loading the records; draining
 * them through the pipeline's Spark part and counting them in its batch ledger; running the plain
 * loop over the same topic; the latency at a steady rate; the report and its last JSON line.
 *
 * <p>Implementations have a public no-argument constructor; the definition names the class in
 * {@code benchmark()}. The harness measures one query of the pipeline on one input topic: by
 * default its only ones. A ledgered query is counted and timed by its batch ledger; a real-time
 * query, which keeps none, by the results it writes ({@link #realTimeResults()}).
 *
 * @param <W> one plain-loop thread's work, and what it found
 */
public interface PipelineBenchmark<W extends PlainLoopWork> {
  /** What this part needs and cannot find (a dataset, a model), each with how to get it. */
  default List<String> missingInputs(SluiceConfig config) {
    return List.of();
  }

  /** What a record is, in the report's lines, e.g. {@code reviews}. */
  default String unit() {
    return "records";
  }

  /** The input whose records are loaded: by default the pipeline's only one. */
  default InputTopic input(PipelineDefinition definition) {
    return onlyOne(definition, definition.inputs(), "inputs", "input()");
  }

  /** The query measured: by default the pipeline's only one. */
  default String query(PipelineDefinition definition) {
    return onlyOne(definition, definition.queries(), "queries", "query()");
  }

  private static <T> T onlyOne(
      PipelineDefinition definition, List<T> declared, String what, String method) {
    if (declared.size() != 1) {
      throw new ConfigException(
          "the "
              + definition.name()
              + " pipeline has "
              + declared.size()
              + " "
              + what
              + ": its benchmark part must name the one it measures ("
              + method
              + ")");
    }
    return declared.get(0);
  }

  /**
   * How the harness watches the query when it runs in real-time mode, or empty for a ledgered
   * query.
   */
  default Optional<RealTimeResults> realTimeResults() {
    return Optional.empty();
  }

  /**
   * {@code --records} when not given: enough for a drain of a minute or more at this pipeline's
   * speed.
   */
  default int recordsByDefault() {
    return 1_000_000;
  }

  /**
   * {@code --latency-rate} when not given, in records per second: the rate the target is set for.
   */
  default int latencyRateByDefault() {
    return 2_000;
  }

  /** The latency target at {@link #latencyRateByDefault()}: p99 at most this, in milliseconds. */
  default double latencyTargetMs() {
    return 1_000;
  }

  /** The records both measurements load, read once per run. */
  BenchRecords records(SluiceConfig config);

  /**
   * The pipeline's Spark part as both measurements run it, prepared once after Spark started; the
   * preparation (loading a model, say) is reported with Spark's start-up, not in the pipeline's
   * time. By default the class the definition names in {@code sparkJob()}.
   */
  default SparkPipeline sparkJob(
      PipelineDefinition definition, SluiceConfig config, PrintStream progress) {
    return Pipelines.part(definition, definition.sparkJob(), SparkPipeline.class);
  }

  /**
   * A new plain-loop thread: the least work any implementation of the pipeline must do per record,
   * without Spark. Each of the plain loop's threads gets one. A pipeline whose work is writing to a
   * store writes to the plain loop's own place in it ({@code target}: its output topics, its Redis
   * namespace), so the results of both compare.
   */
  W plainLoopThread(BenchTarget target);

  /**
   * After the drain of a ledgered query, once the ledger was found to count every record: whether
   * the pipeline's own tables agree with it.
   *
   * @return what was checked, for the progress line
   * @throws InvalidRunException when they do not
   */
  default Optional<String> checkDrained(Database database, Ledger ledger) {
    return Optional.empty();
  }

  /**
   * After the plain loop: whether the pipeline's results equal what the plain loop's threads
   * computed over the same records. Both did all the work, so any difference is a bug in one.
   *
   * @param drained where the pipeline wrote during the drain
   * @param plainLoop the threads, done: release what they hold here
   * @return what was checked, for the progress line
   * @throws InvalidRunException when they differ
   */
  String checkAgainstPlainLoop(BenchTarget drained, List<W> plainLoop);
}
