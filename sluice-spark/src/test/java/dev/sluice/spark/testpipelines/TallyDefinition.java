package dev.sluice.spark.testpipelines;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.util.List;
import java.util.Optional;

/**
 * A test pipeline of the micro-batch shape: JSON events {@code {"key": ..., "amount": ...}} from
 * Kafka; per-record rows in {@code tally_events}, upserted by Kafka coordinates; cumulative {@code
 * tally_totals} per key, applied in the ledger's transaction; malformed records quarantined.
 * Registered only in the test tree.
 */
public final class TallyDefinition implements PipelineDefinition {
  public static final String NAME = "test-tally";
  public static final InputTopic INPUT = InputTopic.of("test-tally", 2);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "test pipeline: sums of amounts per key (micro-batch into a ledgered sink)";
  }

  @Override
  public List<InputTopic> inputs() {
    return List.of(INPUT);
  }

  @Override
  public Optional<String> migrations() {
    return Optional.of("db/pipelines/test-tally");
  }

  @Override
  public String sparkJob() {
    return TallyJob.class.getName();
  }
}
