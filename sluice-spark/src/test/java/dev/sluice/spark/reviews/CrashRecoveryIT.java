package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.spark.testing.CrashDrill;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
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
}
