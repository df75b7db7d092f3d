package dev.sluice.core.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What Sluice knows of a pipeline before it runs: the one registration a pipeline adds. Every
 * process reads the registered definitions ({@link Pipelines}): the launcher for its commands and
 * the demo, the infra for the topics, the status line.
 *
 * <p>A pipeline's parts live in its own package of each module that runs one, named here by class
 * so that engine-free processes never load Spark: {@link #sparkJob()} in {@code sluice-spark},
 * {@link #producer()} in {@code sluice-loadgen}, {@link #serverPart()} in {@code sluice-server},
 * {@link #benchmark()} in {@code sluice-bench}. A module loads its own part with {@link
 * Pipelines#part}.
 *
 * <p>Register a definition in {@code META-INF/services/dev.sluice.core.pipeline.PipelineDefinition}
 * (test pipelines register in their test tree). {@code docs/adding-a-pipeline.md} walks through it.
 */
public interface PipelineDefinition {
  /** Lower-case letters, digits and dashes: a command-line word, a table key, a URL segment. */
  String NAME_PATTERN = "[a-z][a-z0-9-]{0,39}";

  String name();

  /** One line for {@code ./sluice --help} and the dashboard's navigation. */
  String description();

  /** The Kafka topics the pipeline reads; Sluice creates missing ones with their partitions. */
  List<InputTopic> inputs();

  /**
   * The Kafka topics the pipeline publishes results to, for other systems to consume; Sluice
   * creates missing ones like its inputs, sized by the same kind of setting.
   */
  default List<InputTopic> outputs() {
    return List.of();
  }

  /**
   * The pipeline's streaming queries, by name. Each keeps its checkpoint in {@code
   * $SLUICE_HOME/checkpoints/<query>} and its own rows in the batch ledger; names are unique across
   * pipelines. A pipeline with one query names it after itself.
   */
  default List<String> queries() {
    return List.of(name());
  }

  /**
   * The inputs its real-time queries read. A real-time query holds a task slot per partition of its
   * topics for as long as it runs; in local mode Sluice adds those slots to the cores.
   */
  default List<InputTopic> realTimeInputs() {
    return List.of();
  }

  /** Whether the pipeline needs a trained sentiment model before it starts. */
  default boolean needsSentimentModel() {
    return false;
  }

  /**
   * The classpath location of the pipeline's own Flyway migrations (its tables), e.g. {@code
   * db/pipelines/reviews}; applied after the platform's, with a history table of their own.
   */
  default Optional<String> migrations() {
    return Optional.empty();
  }

  /**
   * Options of {@code ./sluice run} that belong to this pipeline, e.g. a file it reads instead of a
   * built-in one. {@code ./sluice run} parses and validates them with its own (a bad value stops it
   * at start-up, one line per problem) and hands the values to the pipeline's Spark part; {@code
   * --help} lists them. An option of a pipeline that is not being run is refused.
   */
  default List<dev.sluice.core.config.Flag<?>> runFlags() {
    return List.of();
  }

  /** The class, in {@code sluice-spark}, that starts the pipeline's queries. */
  String sparkJob();

  /** The class, in {@code sluice-loadgen}, behind {@code ./sluice produce <name>}. */
  default Optional<String> producer() {
    return Optional.empty();
  }

  /**
   * The word {@code ./sluice produce} knows the producer by besides the pipeline's name, when what
   * it produces has a name of its own (the security pipeline's producer simulates {@code sensors});
   * the pipeline's name by default.
   */
  default String producerName() {
    return name();
  }

  /** The class, in {@code sluice-bench}, behind {@code ./sluice bench <name>}. */
  default Optional<String> benchmark() {
    return Optional.empty();
  }

  /**
   * The class, in {@code sluice-server}, that serves the pipeline's API routes, dashboard page and
   * live updates. Without one, the dashboard lists the pipeline with its status only.
   */
  default Optional<String> serverPart() {
    return Optional.empty();
  }

  /**
   * What the machine lacks for the pipeline to run (a native library, a data file), as a sentence
   * that says how to install it; empty when nothing is missing. The demo leaves such a pipeline out
   * and prints the sentence; {@code ./sluice run} refuses it with exit status 3. Runs in every
   * process that reads the registry: file checks only, nothing loaded.
   */
  default Optional<String> unmetRequirement() {
    return Optional.empty();
  }

  /**
   * The rate the demo's producer runs at, in records per second, when the demo's own {@code --rate}
   * does not suit the pipeline (its thresholds are set for ordinary traffic at this rate).
   */
  default OptionalInt demoRate() {
    return OptionalInt.empty();
  }

  /**
   * What the demo passes its producer after {@code --rate N} (every producer takes {@code --rate},
   * records per second), e.g. a count large enough to stream for days.
   */
  default List<String> demoProducerArgs() {
    return List.of();
  }

  /**
   * What the status line shows after the platform's figures (records in, processed, lag,
   * quarantined), read from the pipeline's committed results, e.g. {@code "accuracy 0.903 of
   * 1,204"}. Runs on the launcher's connection; it must be cheap.
   */
  default List<String> statusDetails(Connection connection) throws SQLException {
    return List.of();
  }
}
