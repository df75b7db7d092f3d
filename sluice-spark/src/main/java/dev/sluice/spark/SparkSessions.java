package dev.sluice.spark;

import dev.sluice.core.config.SluiceConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every Sluice job runs in, with settings sized for streaming on few cores.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(String appName, SluiceConfig config) {
    return create(appName, config.sparkMaster(), config.shufflePartitions());
  }

  /**
   * A session for streaming pipelines: as {@link #create}, without adaptive query execution. A
   * micro-batch's jobs run on a few partitions of a few thousand records, where AQE's skew and
   * coalescing gains have nothing to act on, while its re-planning adds two jobs per batch to the
   * reviews pipeline (five instead of seven): interleaved runs of {@code ./sluice bench reviews
   * --records 100000} drained 4,021 records/s without it against 3,258/s with it
   * (docs/benchmarks.md). Spark 4.1 turned AQE on for stateless streaming queries by default; this
   * turns it off on purpose, for the streaming plans and the batches inside {@code foreachBatch}
   * alike.
   */
  public static SparkSession forPipelines(String appName, String master, int shufflePartitions) {
    return started(
        builder(appName, master, shufflePartitions)
            .config("spark.sql.adaptive.enabled", false)
            .config("spark.sql.adaptive.streaming.stateless.enabled", false));
  }

  public static SparkSession create(String appName, String master, int shufflePartitions) {
    return started(builder(appName, master, shufflePartitions));
  }

  private static SparkSession started(SparkSession.Builder builder) {
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  private static SparkSession.Builder builder(
      String appName, String master, int shufflePartitions) {
    SparkSession.Builder builder = SparkSession.builder();
    if (master.startsWith("local")) {
      // Loopback only: local mode must not depend on the host's network configuration.
      builder
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    } else {
      // On a cluster the driver runs here (client mode) and ships what executors lack.
      builder.config("spark.jars", ClusterJars.forClasspath(System.getProperty("java.class.path")));
    }
    return builder
        .appName(appName)
        .master(master)
        // Spark's default of 200 shuffle partitions makes every small micro-batch schedule 200
        // tasks: measured 3x slower on 2 cores than one partition per core.
        .config("spark.sql.shuffle.partitions", shufflePartitions)
        .config("spark.default.parallelism", shufflePartitions)
        .config("spark.ui.enabled", false)
        // Pools (fairscheduler.xml): real-time queries get a free slot before queued micro-batch
        // tasks, so a busy machine delays micro-batches, not the queries that answer at once.
        .config("spark.scheduler.mode", "FAIR")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.streaming.stopGracefullyOnShutdown", true)
        // State of stateful queries in RocksDB, off the JVM heap. A checkpoint keeps the
        // provider it was created with, so this changes nothing for existing ones.
        .config(
            "spark.sql.streaming.stateStore.providerClass",
            "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
        // A batch's commit writes the state's changes, not a snapshot of the whole store; the
        // store's maintenance thread snapshots every few batches. The calls pipeline's commits,
        // summed over its two state partitions, went from 871 to 457 ms per batch, most of it
        // the files' fsync (docs/tuning.md). A checkpoint written either way reads back either way.
        .config("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", true);
  }
}
