package dev.sluice.spark.testpipelines;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.util.List;
import java.util.Optional;

/**
 * A test pipeline of the stateful shape: JSON events {@code {"key": ..., "ts": epoch millis}}
 * counted per key in one-minute event-time windows with a 10-second watermark; each window is
 * written once, when the watermark has passed its end. Registered only in the test tree.
 */
public final class WindowsDefinition implements PipelineDefinition {
  public static final String NAME = "test-windows";
  public static final InputTopic INPUT = InputTopic.of("test-windows", 2);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "test pipeline: events per key and minute (event-time windows, watermark, state)";
  }

  @Override
  public List<InputTopic> inputs() {
    return List.of(INPUT);
  }

  @Override
  public Optional<String> migrations() {
    return Optional.of("db/pipelines/test-windows");
  }

  @Override
  public String sparkJob() {
    return WindowsJob.class.getName();
  }
}
