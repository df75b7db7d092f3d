package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same jars on a Spark cluster: {@code SLUICE_SPARK_MASTER=spark://...} runs the pipeline's
 * driver here and its executors on a standalone worker, which get Sluice's classes, the Kafka
 * connector and the PostgreSQL driver only from what the driver ships.
 */
class StandaloneClusterIT {

  @Test
  void runsThePipelineOnAStandaloneClusterWithTheSameResultsAsLocalMode() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    List<byte[]> values =
        TestData.imdbReviews(45_000, 400).stream().map(ReviewCodec::encode).toList();
    TopicWriter.write(platform.kafka(), "cluster-reviews", 4, values);

    PipelineRun local =
        new PipelineRun(
            platform,
            ReviewsDefinition.NAME,
            TestModels.homeWithModel("local"),
            "cluster_local",
            "cluster-reviews",
            1_000);
    assertThat(local.runOnce(300)).as("log: " + local.log()).isZero();

    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-");
    try (StandaloneCluster cluster = new StandaloneCluster(dir)) {
      PipelineRun onCluster =
          new PipelineRun(
                  platform,
                  ReviewsDefinition.NAME,
                  TestModels.homeWithModel("cluster"),
                  "cluster_remote",
                  "cluster-reviews",
                  1_000)
              .onSparkMaster(cluster.masterUrl);
      assertThat(onCluster.runOnce(300))
          .as("log: " + onCluster.log() + ", worker: " + dir.resolve("worker.log"))
          .isZero();
      try (Connection expected = local.connect();
          Connection actual = onCluster.connect()) {
        Tables localTables = Tables.read(expected);
        Tables clusterTables = Tables.read(actual);
        assertThat(clusterTables.predictions())
            .hasSize(values.size())
            .isEqualTo(localTables.predictions());
        assertThat(clusterTables.wordCounts()).isEqualTo(localTables.wordCounts());
        assertThat(clusterTables.accuracy()).isEqualTo(localTables.accuracy());
      }
      // The work ran on the worker: it started at least one executor for the pipeline.
      assertThat(Files.readString(dir.resolve("worker.log"))).contains("Asked to launch executor");
    }
  }
}
