package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.Tokenizer;
import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reviews pipeline on Spark local, on real IMDB reviews mixed with malformed records. */
class ReviewsPipelineTest {
  static final int REVIEWS = 600;
  static final String NON_ASCII =
      "Ein großartiger Film, très émouvant — 最高の映画! I’d watch it again.";

  /** {"text":"caf?"} where ? is a broken two-byte UTF-8 sequence. */
  static final byte[] INVALID_UTF8 = {
    '{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'c', 'a', 'f', (byte) 0xC3, (byte) 0x28, '"', '}'
  };

  static List<Review> reviews;
  static ReviewsBatch batch;
  static KafkaRecords records;

  @BeforeAll
  static void runPipelineOnOneBatch() {
    reviews = TestData.imdbReviews(40_000, REVIEWS);
    records = new KafkaRecords();
    for (int i = 0; i < reviews.size(); i++) {
      records.add(i % 3, ReviewCodec.encode(reviews.get(i)));
    }
    TestData.MALFORMED.forEach(bad -> records.add(1, bad[0]));
    records.add(2, "{\"text\": \"" + NON_ASCII + "\", \"score\": 5}");
    records.add(0, INVALID_UTF8);
    ReviewsPipeline pipeline = new ReviewsPipeline(TestModels.model(), null);
    assertThat(pipeline.scoresFolded()).isTrue();
    batch = pipeline.transform(records.toDataset(SparkTestSession.get()));
  }

  @AfterAll
  static void release() {
    batch.close();
  }

  @Test
  void everyValidReviewGetsOnePrediction() {
    List<Row> predictions = batch.predictions().collectAsList();
    assertThat(predictions).hasSize(REVIEWS + 1);
    assertThat(predictions.stream().map(r -> r.getString(3)).distinct()).hasSize(REVIEWS + 1);
    for (Row row : predictions) {
      assertThat(row.getString(5)).isIn("pos", "neg");
      assertThat(row.getDouble(6)).isBetween(0.5, 1.0);
      assertThat(row.getString(4).codePointCount(0, row.getString(4).length()))
          .isLessThanOrEqualTo(ReviewsPipeline.EXCERPT_CHARS);
    }
  }

  @Test
  void aReviewWithoutIdGetsOneFromItsKafkaCoordinates() {
    Row row = batch.predictions().where("excerpt LIKE 'Ein großartiger%'").first();
    assertThat(row.getString(3)).isEqualTo("reviews-" + row.getInt(1) + "-" + row.getLong(2));
    assertThat(row.getString(4)).isEqualTo(NON_ASCII);
    assertThat(row.getString(7)).isEqualTo("pos");
  }

  @Test
  void malformedRecordsAreQuarantinedWithTheirReason() {
    List<Row> quarantined = batch.quarantine().collectAsList();
    assertThat(quarantined).hasSize(TestData.MALFORMED.size() + 1);
    for (String[] bad : TestData.MALFORMED) {
      Row row =
          quarantined.stream()
              .filter(
                  r ->
                      new String((byte[]) r.get(4), java.nio.charset.StandardCharsets.UTF_8)
                          .equals(bad[0]))
              .findFirst()
              .orElseThrow();
      assertThat(row.getString(3)).contains(bad[1]);
      assertThat(row.getInt(5))
          .isEqualTo(bad[0].getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
    assertThat(quarantined).anySatisfy(r -> assertThat(r.getString(3)).contains("UTF-8"));
  }

  @Test
  void wordCountsAreTheTokenizersCountsOverValidReviews() {
    Map<String, Long> expected = new HashMap<>();
    reviews.forEach(r -> Tokenizer.words(r.text()).forEach(w -> expected.merge(w, 1L, Long::sum)));
    Tokenizer.words(NON_ASCII).forEach(w -> expected.merge(w, 1L, Long::sum));
    Map<String, Long> actual = new HashMap<>();
    batch.wordCounts().collectAsList().forEach(r -> actual.put(r.getString(0), r.getLong(1)));
    assertThat(actual).isEqualTo(expected);
    assertThat(actual).containsKeys("großartiger", "émouvant", "最高の映画").doesNotContainKey("i'd");
  }

  @Test
  void totalsCountRecordsQuarantineAndCorrectPredictions() {
    ReviewsBatch.Totals totals = batch.totals();
    assertThat(totals.records()).isEqualTo(REVIEWS + 1 + TestData.MALFORMED.size() + 1);
    assertThat(totals.quarantined()).isEqualTo(TestData.MALFORMED.size() + 1);
    assertThat(totals.withTruth()).isEqualTo(REVIEWS + 1);
    long correct = batch.predictions().where("truth = predicted").count();
    assertThat(totals.correct()).isEqualTo(correct);
    // A model trained on 4,000 reviews is far better than chance on unseen ones.
    assertThat((double) totals.correct() / totals.withTruth()).isGreaterThan(0.7);
  }

  @Test
  void scoringThroughMllibsStagesGivesTheSameOutcomesAsTheFoldedModel() {
    ReviewsPipeline mllib = new ReviewsPipeline(TestModels.model(), null, false);
    assertThat(mllib.scoresFolded()).isFalse();
    try (ReviewsBatch viaMllib = mllib.transform(records.toDataset(SparkTestSession.get()))) {
      assertSameRows(viaMllib.predictions(), batch.predictions());
      assertSameRows(viaMllib.quarantine(), batch.quarantine());
      assertSameRows(viaMllib.wordCounts(), batch.wordCounts());
      assertThat(viaMllib.totals()).isEqualTo(batch.totals());
    }
  }

  private static void assertSameRows(Dataset<Row> actual, Dataset<Row> expected) {
    assertThat(actual.count()).isEqualTo(expected.count()).isPositive();
    assertThat(actual.exceptAll(expected).count()).isZero();
    assertThat(expected.exceptAll(actual).count()).isZero();
  }
}
