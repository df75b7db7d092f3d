package dev.sluice.spark.testpipelines;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.util.List;
import java.util.Optional;

/**
 * A test pipeline of the real-time shape: JSON events {@code {"key": ..., "value": ...}}, each
 * written at once to {@code realtime_events} with its value doubled, keyed by Kafka coordinates.
 * Registered only in the test tree.
 */
public final class RealtimeDefinition implements PipelineDefinition {
  public static final String NAME = "test-realtime";
  public static final InputTopic INPUT = InputTopic.of("test-realtime", 2);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "test pipeline: every event written within milliseconds (real-time mode)";
  }

  @Override
  public List<InputTopic> inputs() {
    return List.of(INPUT);
  }

  @Override
  public List<InputTopic> realTimeInputs() {
    return List.of(INPUT);
  }

  @Override
  public Optional<String> migrations() {
    return Optional.of("db/pipelines/test-realtime");
  }

  @Override
  public String sparkJob() {
    return RealtimeJob.class.getName();
  }
}
