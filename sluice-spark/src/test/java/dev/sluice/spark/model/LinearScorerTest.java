package dev.sluice.spark.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.HeldOut;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.Sentiment;
import dev.sluice.core.reviews.Tokenizer;
import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The folded model answers exactly what MLlib's stages answer. */
class LinearScorerTest {
  @Test
  void givesMllibsPredictionsAndProbabilitiesOnHeldOutReviews() {
    PipelineModel model = TestModels.model().pipeline();
    LinearScorer scorer = LinearScorer.of(model).orElseThrow();
    List<String> texts =
        TestData.imdbReviews(0, 50_000).stream()
            .filter(r -> HeldOut.isHeldOut(r.id()))
            .limit(2_000)
            .map(Review::text)
            .toList();
    List<Row> rows =
        model
            .transform(
                SparkTestSession.get()
                    .createDataset(texts, Encoders.STRING())
                    .toDF(TokenizeStage.INPUT))
            .select("text", "prediction", "probability")
            .collectAsList();
    assertThat(rows).hasSize(texts.size());
    int positive = 0;
    for (Row row : rows) {
      double margin = scorer.margin(TermPresence.buckets(Tokenizer.words(row.getString(0))));
      Sentiment expected = Sentiment.fromLabel(row.getDouble(1));
      Sentiment predicted = scorer.predict(margin);
      assertThat(predicted).isEqualTo(expected);
      Vector probability = (Vector) row.get(2);
      assertThat(LinearScorer.probability(margin, Sentiment.POS)).isEqualTo(probability.apply(1));
      assertThat(LinearScorer.probability(margin, Sentiment.NEG)).isEqualTo(probability.apply(0));
      positive += predicted == Sentiment.POS ? 1 : 0;
    }
    // Both classes occur, so the comparison covered both sides of the threshold.
    assertThat(positive).isBetween(texts.size() / 4, texts.size() * 3 / 4);
  }

  @Test
  void modelsItCannotFoldAreLeftToMllib() {
    PipelineModel model = TestModels.model().pipeline();
    Transformer[] stages = model.stages();
    assertThat(
            LinearScorer.of(
                new PipelineModel(
                    "without-idf", new Transformer[] {stages[0], stages[1], stages[3]})))
        .isEmpty();
    assertThat(LinearScorer.of(new PipelineModel("tokens-only", new Transformer[] {stages[0]})))
        .isEmpty();
  }
}
