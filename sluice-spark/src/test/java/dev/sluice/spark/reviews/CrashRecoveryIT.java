package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.spark.stream.FaultPoints;
import dev.sluice.spark.testing.CrashDrill;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once results: a pipeline killed with SIGKILL mid-stream, several times, and restarted
 * from its checkpoint ends with tables identical to those of a run that was never interrupted.
 */
class CrashRecoveryIT {
  static final String TOPIC = "crash-reviews";
  static final int REVIEWS = 4_000;
  static final int RECORDS_PER_BATCH = 250;
  static final int KILLS = 3;

  @Test
  void killedAndRestartedRunEndsWithTheSameTablesAsAnUninterruptedOne() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    List<Review> reviews = TestData.imdbReviews(43_000, REVIEWS);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < reviews.size(); i++) {
      values.add(ReviewCodec.encode(reviews.get(i)));
      if (i % 500 == 0) {
        String[] bad = TestData.MALFORMED.get((i / 500) % TestData.MALFORMED.size());
        values.add(bad[0].getBytes(StandardCharsets.UTF_8));
      }
    }
    TopicWriter.write(platform.kafka(), TOPIC, 4, values);

    PipelineRun uninterrupted =
        new PipelineRun(
            platform,
            ReviewsDefinition.NAME,
            TestModels.homeWithModel("calm"),
            "crash_calm",
            TOPIC,
            RECORDS_PER_BATCH);
    assertThat(uninterrupted.runOnce(600)).as("log: " + uninterrupted.log()).isZero();

    PipelineRun crashing =
        new PipelineRun(
            platform,
            ReviewsDefinition.NAME,
            TestModels.homeWithModel("crash"),
            "crash_killed",
            TOPIC,
            RECORDS_PER_BATCH);
    CrashDrill.run(crashing, KILLS, uninterrupted.committedBatches(), 20261121);

    Tables expected;
    Tables actual;
    try (Connection calm = uninterrupted.connect();
        Connection killed = crashing.connect()) {
      expected = Tables.read(calm);
      actual = Tables.read(killed);
    }
    assertThat(expected.predictions()).hasSize(REVIEWS);
    assertThat(expected.quarantine()).hasSize(REVIEWS / 500);
    assertThat(actual.wordCounts()).isEqualTo(expected.wordCounts());
    assertThat(actual.predictions()).isEqualTo(expected.predictions());
    assertThat(actual.quarantine()).isEqualTo(expected.quarantine());
    assertThat(actual.accuracy()).isEqualTo(expected.accuracy());
    assertThat(actual.batches()).isEqualTo(expected.batches());
  }

  /**
   * The two windows of the ledgered sink, hit exactly: halted after the per-record writes and
   * before the ledger's transaction, and after the ledger's commit and before Spark's commit log.
   */
  @Test
  void haltedInsideEachWindowOfTheSinkEndsWithTheTablesOfAnUninterruptedRun() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "crash-points-reviews";
    List<byte[]> values = new ArrayList<>();
    for (Review review : TestData.imdbReviews(45_000, 1_500)) {
      values.add(ReviewCodec.encode(review));
    }
    values.add(TestData.MALFORMED.get(0)[0].getBytes(StandardCharsets.UTF_8));
    TopicWriter.write(platform.kafka(), topic, 4, values);
    PipelineRun calm = points(platform, topic, "calm");
    assertThat(calm.runOnce(600)).as("log: " + calm.log()).isZero();

    PipelineRun before = points(platform, topic, "before_ledger");
    CrashDrill.runToPoint(
        before,
        FaultPoints.Point.BEFORE_LEDGER_COMMIT,
        3,
        () -> {
          try (Connection connection = before.connect()) {
            assertThat(TableRows.count(connection, "SELECT count(*) FROM pipeline_batches"))
                .isEqualTo(2);
            assertThat(
                    TableRows.count(
                        connection, "SELECT count(*) FROM predictions WHERE batch_id = 2"))
                .as("the halted batch's rows, written before the ledger")
                .isPositive();
          }
        });

    PipelineRun after = points(platform, topic, "after_ledger");
    CrashDrill.runToPoint(
        after,
        FaultPoints.Point.AFTER_LEDGER_COMMIT,
        3,
        () -> {
          try (Connection connection = after.connect()) {
            assertThat(TableRows.count(connection, "SELECT count(*) FROM pipeline_batches"))
                .isEqualTo(3);
          }
          assertThat(after.home().resolve("checkpoints/reviews/commits/2"))
              .as("Spark's commit log of the halted batch")
              .doesNotExist();
        });
    assertThat(Files.readString(after.log()))
        .contains("batch 2 is already committed; replay skipped");

    try (Connection calmTables = calm.connect();
        Connection beforeTables = before.connect();
        Connection afterTables = after.connect()) {
      Tables expected = Tables.read(calmTables);
      assertThat(Tables.read(beforeTables)).isEqualTo(expected);
      assertThat(Tables.read(afterTables)).isEqualTo(expected);
    }
  }

  private static PipelineRun points(EmbeddedPlatform platform, String topic, String name) {
    return new PipelineRun(
        platform,
        ReviewsDefinition.NAME,
        TestModels.homeWithModel("points-" + name),
        "points_" + name,
        topic,
        RECORDS_PER_BATCH);
  }
}
