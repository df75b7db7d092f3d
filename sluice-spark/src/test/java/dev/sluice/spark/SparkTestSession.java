package dev.sluice.spark;

import org.apache.spark.sql.SparkSession;

/** One local Spark per test JVM: starting Spark takes seconds, and tests share it safely. */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSessions.forPipelines("sluice-tests", "local[2]", 2);
    }
    return spark;
  }
}
