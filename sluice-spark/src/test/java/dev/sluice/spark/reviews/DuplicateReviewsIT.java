package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A review sent again with the same id (an HTTP retry, a producer retry, a file replayed) is
 * counted once, wherever the copy lands: in the same batch, a later batch, another partition; the
 * copy is quarantined as a duplicate naming the first. A second run over the same topic, started
 * again, decides the same way.
 */
class DuplicateReviewsIT {
  static final String TOPIC = "duplicate-reviews";
  static final int UNIQUE = 800;

  @Test
  void aReviewSentTwiceIsCountedOnce() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    List<Review> reviews = TestData.imdbReviews(31_000, UNIQUE);
    List<byte[]> values = new ArrayList<>();
    for (Review review : reviews) {
      values.add(ReviewCodec.encode(review));
    }
    // Every fifth review again: round-robin keys put the copies in other partitions and, for the
    // last ones, in later batches; the first ten again right away, in the same batch.
    int copies = 0;
    for (int i = 0; i < UNIQUE; i += 5) {
      values.add(ReviewCodec.encode(reviews.get(i)));
      copies++;
    }
    for (int i = 0; i < 10; i++) {
      values.add(i + 1, ReviewCodec.encode(reviews.get(i)));
      copies++;
    }
    TopicWriter.write(platform.kafka(), TOPIC, 3, values);

    PipelineRun run =
        new PipelineRun(
            platform,
            ReviewsDefinition.NAME,
            TestModels.homeWithModel("duplicates"),
            "duplicate_reviews",
            TOPIC,
            200);
    assertThat(run.runOnce(600)).as("log: " + run.log()).isZero();

    try (Connection connection = run.connect()) {
      assertThat(TableRows.count(connection, "SELECT count(*) FROM predictions")).isEqualTo(UNIQUE);
      assertThat(TableRows.count(connection, "SELECT count(DISTINCT id) FROM predictions"))
          .isEqualTo(UNIQUE);
      assertThat(
              TableRows.count(
                  connection,
                  "SELECT count(*) FROM quarantine WHERE reason LIKE 'duplicate id: \"%\" was first read at "
                      + TOPIC
                      + "-%'"))
          .isEqualTo(copies);
      assertThat(
              TableRows.count(
                  connection, "SELECT coalesce(sum(quarantined), 0) FROM pipeline_batches"))
          .isEqualTo(copies);
      assertThat(
              TableRows.count(
                  connection, "SELECT reviews FROM accuracy ORDER BY batch_id DESC LIMIT 1"))
          .isEqualTo(UNIQUE);
      // Each copy names the record that was counted.
      assertThat(
              TableRows.count(
                  connection,
                  "SELECT count(*) FROM quarantine q JOIN record_ids r ON r.pipeline = q.pipeline"
                      + " AND q.reason = 'duplicate id: \"' || r.id || '\" was first read at ' || r.topic || '-' || r.kafka_partition || '-' || r.kafka_offset"
                      + " JOIN predictions p ON p.topic = r.topic AND p.kafka_partition = r.kafka_partition AND p.kafka_offset = r.kafka_offset"))
          .isEqualTo(copies);
    }
  }
}
