package dev.sluice.spark.testing;

import dev.sluice.core.process.SluiceModules;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline as users run it: its own JVM ({@code PipelineMain}), against the embedded Kafka and
 * PostgreSQL, with its own SLUICE_HOME (checkpoints) and database schema. The test classes are on
 * its classpath, so test pipelines (registered in the test tree) run the same way.
 */
public final class PipelineRun {
  private final EmbeddedPlatform platform;
  private final String pipeline;
  private final Path home;
  private final String schema;
  private final String topic;
  private final long maxRecordsPerBatch;
  private String sparkMaster = "local[2]";
  private String jdbcParameters = "";
  private List<String> flags = List.of();
  private Map<String, String> settings = Map.of();

  public PipelineRun(
      EmbeddedPlatform platform,
      String pipeline,
      Path home,
      String schema,
      String topic,
      long maxRecordsPerBatch) {
    this.platform = platform;
    this.pipeline = pipeline;
    this.home = home;
    this.schema = schema;
    this.topic = topic;
    this.maxRecordsPerBatch = maxRecordsPerBatch;
    try (Connection connection = connect(platform.dbUrl());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the pipeline's executors on this Spark master instead of local mode. */
  public PipelineRun onSparkMaster(String master) {
    this.sparkMaster = master;
    return this;
  }

  /** Passes these flags at every start, such as {@code --redis-namespace}. */
  public PipelineRun withFlags(List<String> flags) {
    this.flags = List.copyOf(flags);
    return this;
  }

  /** Sets these settings (environment variables) at every start. */
  public PipelineRun withSettings(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
    return this;
  }

  /**
   * Adds JDBC URL parameters (e.g. {@code socketTimeout=10}) to the URL the pipeline connects with,
   * where they override the platform's defaults.
   */
  public PipelineRun withJdbcParameters(String parameters) {
    this.jdbcParameters = "&" + parameters;
    return this;
  }

  public String pipeline() {
    return pipeline;
  }

  public Path home() {
    return home;
  }

  public String dbUrl() {
    return platform.dbUrl()
        + (platform.dbUrl().contains("?") ? "&" : "?")
        + "currentSchema="
        + schema;
  }

  public Connection connect() throws SQLException {
    return connect(dbUrl());
  }

  private Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, platform.dbUser(), null);
  }

  public Process start(boolean once) {
    return start(once, List.of());
  }

  /** Starts the pipeline with more flags, such as {@code --model}. */
  public Process start(boolean once, List<String> flags) {
    return start(once, flags, Map.of());
  }

  /** Starts the pipeline with more flags and settings, such as {@code SLUICE_FAULT}. */
  public Process start(boolean once, List<String> flags, Map<String, String> settings) {
    List<String> args = new ArrayList<>(List.of(pipeline, "--topic", topic, "--trigger-ms", "0"));
    if (once) {
      args.add("--once");
    }
    args.addAll(this.flags);
    args.addAll(flags);
    ProcessBuilder builder =
        SluiceModules.locate()
            .java(
                "sluice-spark",
                "dev.sluice.spark.PipelineMain",
                List.of("-Xmx1500m"),
                List.of(Path.of("target", "test-classes").toAbsolutePath().toString()),
                args);
    builder.environment().putAll(platform.env());
    builder
        .environment()
        .putAll(
            Map.of(
                "SLUICE_HOME",
                home.toString(),
                "SLUICE_DB_URL",
                dbUrl() + jdbcParameters,
                "SLUICE_SPARK_MASTER",
                sparkMaster,
                "SLUICE_SHUFFLE_PARTITIONS",
                "2",
                "SLUICE_MAX_RECORDS_PER_BATCH",
                Long.toString(maxRecordsPerBatch)));
    builder.environment().putAll(this.settings);
    builder.environment().putAll(settings);
    // The driver advertises this address to executors: keep the test's traffic on loopback.
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code --once} to the end and returns its exit code. */
  public int runOnce(long timeoutSeconds) throws InterruptedException {
    return runOnce(timeoutSeconds, List.of());
  }

  /** Runs {@code --once} with more flags to the end and returns its exit code. */
  public int runOnce(long timeoutSeconds, List<String> flags) throws InterruptedException {
    return runOnce(timeoutSeconds, flags, Map.of());
  }

  /** Runs {@code --once} with more flags and settings to the end and returns its exit code. */
  public int runOnce(long timeoutSeconds, List<String> flags, Map<String, String> settings)
      throws InterruptedException {
    Process process = start(true, flags, settings);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      dumpThreads(process);
      process.destroyForcibly();
      throw new AssertionError(
          "the pipeline did not finish within "
              + timeoutSeconds
              + " s (its threads are at the end of its log); see "
              + log());
    }
    return process.exitValue();
  }

  /** How many batches the pipeline has committed; 0 before its first start created the tables. */
  public long committedBatches() {
    try (Connection connection = connect()) {
      return TableRows.count(
          connection,
          "SELECT count(*) FROM pipeline_batches WHERE pipeline = '"
              + pipeline.replace("'", "''")
              + "'");
    } catch (SQLException e) {
      return 0;
    }
  }

  public Path log() {
    return home.resolve("pipeline.log");
  }

  /**
   * Appends the threads of a running pipeline to its log ({@code jcmd Thread.print}), so that a
   * test that gives up waiting leaves behind where the pipeline stood.
   */
  public void dumpThreads(Process pipeline) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump =
          new ProcessBuilder(jcmd.toString(), Long.toString(pipeline.pid()), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
              .start();
      if (!dump.waitFor(30, TimeUnit.SECONDS)) {
        dump.destroyForcibly();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
