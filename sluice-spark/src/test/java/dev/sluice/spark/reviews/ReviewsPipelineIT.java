package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.core.reviews.Tokenizer;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reviews pipeline end to end, as {@code ./sluice run reviews --once} runs it: real Kafka, real
 * PostgreSQL, its own JVM. Step 1 produce, step 2 run, step 3 verify; then again, to see that a
 * second start continues where the first stopped.
 */
class ReviewsPipelineIT {
  static final String TOPIC = "it-reviews";

  @Test
  void drainsTheTopicIntoTheTablesAndContinuesOnTheNextStart() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    List<Review> reviews = TestData.imdbReviews(41_000, 1_500);
    List<Review> first = new ArrayList<>(reviews.subList(0, 1_000));
    first.add(new Review(null, "Überraschend gut! Ein Meisterwerk – 10/10 ★★★★★", 5, null, null));
    first.add(new Review("no-truth", "An average film with an average plot.", 3, null, null));

    // Step 1: produce reviews and malformed records.
    List<byte[]> values = new ArrayList<>(first.stream().map(ReviewCodec::encode).toList());
    TestData.MALFORMED.forEach(bad -> values.add(bad[0].getBytes(StandardCharsets.UTF_8)));
    TopicWriter.write(platform.kafka(), TOPIC, 4, values);

    // Step 2: run the pipeline until the topic is drained.
    PipelineRun run =
        new PipelineRun(
            platform,
            ReviewsDefinition.NAME,
            TestModels.homeWithModel("it"),
            "it_reviews",
            TOPIC,
            400);
    assertThat(run.runOnce(300)).as("exit code; log: " + run.log()).isZero();

    // Step 3: verify every table.
    try (Connection connection = run.connect()) {
      verify(connection, first, values.size(), TestData.MALFORMED.size());
      assertThat(Tables.read(connection).wordCounts())
          .anyMatch(row -> row.startsWith("überraschend | "));
    }

    // A second start reads only what is new.
    List<Review> second = reviews.subList(1_000, 1_500);
    TopicWriter.write(
        platform.kafka(), TOPIC, 4, second.stream().map(ReviewCodec::encode).toList());
    assertThat(run.runOnce(300)).as("exit code; log: " + run.log()).isZero();
    List<Review> all = new ArrayList<>(first);
    all.addAll(second);
    try (Connection connection = run.connect()) {
      verify(connection, all, values.size() + second.size(), TestData.MALFORMED.size());
    }
  }

  @Test
  void aLostCheckpointResumesFromTheLedgerCountingNothingTwice() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = TOPIC + "-lost";
    List<Review> reviews = TestData.imdbReviews(43_000, 900);
    Path home = TestModels.homeWithModel("it-lost");
    PipelineRun run =
        new PipelineRun(platform, ReviewsDefinition.NAME, home, "it_reviews_lost", topic, 200);

    // Step 1: a first run commits 600 reviews.
    TopicWriter.write(
        platform.kafka(),
        topic,
        4,
        reviews.subList(0, 600).stream().map(ReviewCodec::encode).toList());
    assertThat(run.runOnce(300)).as("exit code; log: " + run.log()).isZero();

    // Step 2: the checkpoint is lost while the database keeps the results; 300 more arrive.
    try (Stream<Path> files = Files.walk(home.resolve("checkpoints"))) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
    TopicWriter.write(
        platform.kafka(),
        topic,
        4,
        reviews.subList(600, 900).stream().map(ReviewCodec::encode).toList());
    assertThat(run.runOnce(300)).as("exit code; log: " + run.log()).isZero();

    // Step 3: the new checkpoint started where the ledger's last batch ended: every review once.
    assertThat(Files.readString(run.log()))
        .contains("resuming topic " + topic + " from the ledger's committed offsets");
    try (Connection connection = run.connect()) {
      verify(connection, reviews, reviews.size(), 0);
      assertThat(
              TableRows.count(connection, "SELECT count(DISTINCT query_id) FROM pipeline_batches"))
          .isEqualTo(2);
    }
  }

  private static void verify(
      Connection connection, List<Review> reviews, long records, long quarantined)
      throws Exception {
    long withTruth = reviews.stream().filter(r -> r.truth().isPresent()).count();
    assertThat(TableRows.count(connection, "SELECT count(*) FROM predictions"))
        .isEqualTo(reviews.size());
    assertThat(TableRows.count(connection, "SELECT count(*) FROM quarantine"))
        .isEqualTo(quarantined);
    assertThat(
            TableRows.count(connection, "SELECT coalesce(sum(records), 0) FROM pipeline_batches"))
        .isEqualTo(records);
    assertThat(
            TableRows.count(
                connection, "SELECT coalesce(sum(quarantined), 0) FROM pipeline_batches"))
        .isEqualTo(quarantined);
    assertThat(
            TableRows.count(
                connection, "SELECT total FROM accuracy ORDER BY batch_id DESC LIMIT 1"))
        .isEqualTo(withTruth);
    assertThat(
            TableRows.count(
                connection, "SELECT reviews FROM accuracy ORDER BY batch_id DESC LIMIT 1"))
        .isEqualTo(reviews.size());
    long noTruth = reviews.stream().filter(r -> "no-truth".equals(r.id())).count();
    assertThat(
            TableRows.count(
                connection,
                "SELECT count(*) FROM predictions WHERE truth IS NULL AND id = 'no-truth'"))
        .isEqualTo(noTruth);

    Map<String, Long> expected = new TreeMap<>();
    reviews.forEach(r -> Tokenizer.words(r.text()).forEach(w -> expected.merge(w, 1L, Long::sum)));
    Map<String, Long> actual = new TreeMap<>();
    for (String row : Tables.read(connection).wordCounts()) {
      String[] parts = row.split(" \\| ");
      actual.put(parts[0], Long.parseLong(parts[1]));
    }
    assertThat(actual).isEqualTo(expected);
  }
}
