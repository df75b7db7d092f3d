package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once results: a pipeline killed with SIGKILL mid-stream, several times, and restarted
 * from its checkpoint ends with tables identical to those of a run that was never interrupted.
 */
class CrashRecoveryTest {
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

    PipelineRun uninterrupted = new PipelineRun(platform, TestModels.homeWithModel("calm"), "crash_calm", TOPIC, RECORDS_PER_BATCH);
    assertThat(uninterrupted.runOnce(600)).as("log: " + uninterrupted.log()).isZero();

    PipelineRun crashing = new PipelineRun(platform, TestModels.homeWithModel("crash"), "crash_killed", TOPIC, RECORDS_PER_BATCH);
    Random random = new Random(20261121);
    long committedBefore = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      Process pipeline = crashing.start(false);
      // Kill only once this run has committed something, so every run makes progress, then at a
      // random moment, which lands inside a batch's writes more often than not.
      long committed = awaitCommittedBatchesAbove(crashing, committedBefore, pipeline);
      Thread.sleep(random.nextInt(1_500));
      pipeline.destroyForcibly();
      assertThat(pipeline.waitFor(30, TimeUnit.SECONDS)).isTrue();
      committedBefore = Math.max(committed, batches(crashing));
      assertThat(committedBefore).as("batches after kill " + kill).isLessThan(batches(uninterrupted));
    }
    assertThat(crashing.runOnce(600)).as("log: " + crashing.log()).isZero();

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

  private static long batches(PipelineRun run) throws Exception {
    try (Connection connection = run.connect()) {
      return Tables.count(connection, "SELECT count(*) FROM pipeline_batches");
    } catch (java.sql.SQLException e) {
      return 0; // before the pipeline's first start created the tables
    }
  }

  private static long awaitCommittedBatchesAbove(PipelineRun run, long floor, Process pipeline) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      assertThat(pipeline.isAlive()).as("pipeline died by itself; log: " + run.log()).isTrue();
      long committed = batches(run);
      if (committed > floor) {
        return committed;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no batch committed within 240 s; log: " + run.log());
  }
}
