package dev.sluice.core.pipeline;

import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether this machine can give a pipeline a Redis: an external one ({@code SLUICE_REDIS}), or
 * Debian's {@code redis-server} on the {@code PATH} for the embedded one. A pipeline that keeps
 * state in Redis returns {@link #unmet} from its {@link PipelineDefinition#unmetRequirement()}, so
 * the demo leaves it out with the install command and {@code ./sluice run} refuses it, while every
 * other pipeline runs.
 */
public final class RedisRequirement {
  /** The name of the program the embedded Redis runs. */
  public static final String SERVER = "redis-server";

  /** What to do when {@value #SERVER} is missing; the infra and pipelines say exactly this. */
  public static final String INSTALL =
      "install Debian package redis-server (apt-get install redis-server)";

  private RedisRequirement() {}

  /** The first executable {@value #SERVER} on the environment's {@code PATH}. */
  public static Optional<Path> findServer(Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, SERVER);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Why no Redis can be had, as a sentence with what to do; empty when {@code SLUICE_REDIS} names
   * one or the embedded one can start. File checks only, like every {@code unmetRequirement()}.
   */
  public static Optional<String> unmet(Map<String, String> env) {
    if (!env.getOrDefault(SluiceConfig.REDIS.env(), "").isEmpty()) {
      return Optional.empty();
    }
    if (embeddedTurnedOff(env)) {
      return Optional.of(
          "it needs Redis, and SLUICE_REDIS is unset while SLUICE_EMBEDDED_REDIS=false: set"
              + " SLUICE_REDIS=redis://host:port or let the infra start the embedded Redis");
    }
    if (findServer(env).isEmpty()) {
      return Optional.of(SERVER + " is not on the PATH: " + INSTALL);
    }
    return Optional.empty();
  }

  private static boolean embeddedTurnedOff(Map<String, String> env) {
    String text = env.getOrDefault(SluiceConfig.EMBEDDED_REDIS.env(), "");
    try {
      return !text.isEmpty() && !SluiceConfig.EMBEDDED_REDIS.parser().parse(text);
    } catch (Parser.Rejected e) {
      return false; // reported by the configuration check at start-up
    }
  }

  /** {@link #unmet(Map)} for this process's environment. */
  public static Optional<String> unmet() {
    return unmet(System.getenv());
  }
}
