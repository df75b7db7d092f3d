package dev.sluice.spark.stream;

import dev.sluice.core.config.SluiceConfig;
import java.nio.file.Path;

/** Where each pipeline keeps its Structured Streaming checkpoint: {@code $SLUICE_HOME/checkpoints/<pipeline>}. */
public final class Checkpoints {
  private Checkpoints() {}

  public static Path of(SluiceConfig config, String pipeline) {
    return config.checkpoints().resolve(pipeline);
  }
}
