package dev.sluice.cli;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.InfraLines;
import dev.sluice.core.process.SluiceModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka broker, database and Redis the commands run against: the external ones when {@code
 * SLUICE_KAFKA} and {@code SLUICE_DB_URL} are set (and {@code SLUICE_REDIS}, if any), an embedded
 * platform already running for this {@code SLUICE_HOME} (found through {@code infra.env}), or a new
 * embedded platform started here.
 */
final class Platform implements AutoCloseable {
  private static final long START_TIMEOUT_SECONDS = 180;

  private final Map<String, String> env;
  private final ChildProcess startedHere;

  private Platform(Map<String, String> env, ChildProcess startedHere) {
    this.env = env;
    this.startedHere = startedHere;
  }

  /**
   * The settings every child process needs: SLUICE_KAFKA, SLUICE_DB_URL, SLUICE_DB_USER,
   * SLUICE_HOME, and SLUICE_REDIS when the platform has a Redis (passwords stay in the environment
   * the children inherit).
   */
  Map<String, String> env() {
    return env;
  }

  static Platform resolve(SluiceConfig config, SluiceModules modules) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(SluiceConfig.HOME.env(), config.home().toAbsolutePath().toString());
    if (config.kafka().isPresent() && config.dbUrl().isPresent()) {
      env.put(SluiceConfig.KAFKA.env(), config.kafka().get());
      env.put(SluiceConfig.DB_URL.env(), config.dbUrl().get());
      env.put(SluiceConfig.DB_USER.env(), config.dbUser());
      config.redis().ifPresent(r -> env.put(SluiceConfig.REDIS.env(), r.toString()));
      return new Platform(env, null);
    }
    Optional<Map<String, String>> running = runningInfra(config.home());
    if (running.isPresent()) {
      env.putAll(running.get());
      config.kafka().ifPresent(k -> env.put(SluiceConfig.KAFKA.env(), k));
      config.dbUrl().ifPresent(u -> env.put(SluiceConfig.DB_URL.env(), u));
      config.redis().ifPresent(r -> env.put(SluiceConfig.REDIS.env(), r.toString()));
      Console.info(
          "using the embedded platform already running for "
              + config.home()
              + " (pid "
              + running.get().get("SLUICE_INFRA_PID")
              + ")");
      env.remove("SLUICE_INFRA_PID");
      return new Platform(env, null);
    }
    Console.info(
        "starting the embedded Kafka broker and PostgreSQL (data in " + config.home() + ")");
    ProcessBuilder builder =
        ChildProcess.detached(
            modules.java(
                Modules.INFRA.module,
                Modules.INFRA.mainClass,
                List.of(Modules.INFRA.heap),
                List.of()));
    builder.environment().putAll(env);
    Commands.withTokenOnlyForTheServer(Modules.INFRA, builder);
    builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(logFile(config, "infra").toFile()));
    ChildProcess infra = ChildProcess.of("infra", builder).start();
    Platform platform = new Platform(env, infra);
    try {
      env.putAll(readSettings(infra, config));
    } catch (RuntimeException e) {
      infra.stop(10);
      throw e;
    }
    return platform;
  }

  static Path logFile(SluiceConfig config, String name) {
    Path logs = config.home().resolve("logs");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + logs + ": " + e.getMessage(), e);
    }
    return logs.resolve(name + ".log");
  }

  /** Reads the KEY=value lines the infra process prints, up to its ready line. */
  private static Map<String, String> readSettings(ChildProcess infra, SluiceConfig config) {
    return InfraLines.parse(
        infra.readUntil(
            InfraLines::isReady,
            START_TIMEOUT_SECONDS,
            "the embedded platform did not start; see " + logFile(config, "infra")));
  }

  /** The settings of an infra process that runs for this home, if it is alive. */
  static Optional<Map<String, String>> runningInfra(Path home) {
    Optional<Map<String, String>> read = InfraLines.readFile(home.resolve(InfraLines.ENV_FILE));
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> settings = read.get();
    boolean alive =
        InfraLines.pid(settings)
            .flatMap(ProcessHandle::of)
            .map(ProcessHandle::isAlive)
            .orElse(false);
    return alive && settings.containsKey(SluiceConfig.KAFKA.env())
        ? Optional.of(settings)
        : Optional.empty();
  }

  @Override
  public void close() {
    if (startedHere != null) {
      Console.info("stopping the embedded platform");
      startedHere.stop(60);
    }
  }
}
