package dev.sluice.spark.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.reviews.HeldOut;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.Sentiment;
import dev.sluice.core.reviews.Tokenizer;
import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void aScorerReadFromItsFileScoresExactlyAsTheFoldedModel(@TempDir Path dir) throws Exception {
    LinearScorer folded = LinearScorer.of(TestModels.model().pipeline()).orElseThrow();
    Path file = dir.resolve("scorer.bin");
    folded.write(file);

    LinearScorer read = LinearScorer.read(file).orElseThrow();

    for (String text : List.of("a superb, moving film", "dull and far too long", "")) {
      int[] buckets = TermPresence.buckets(Tokenizer.words(text));
      assertThat(read.margin(buckets)).isEqualTo(folded.margin(buckets));
      assertThat(read.predict(read.margin(buckets)))
          .isEqualTo(folded.predict(folded.margin(buckets)));
    }
    Files.writeString(file, "not a scorer");
    assertThatThrownBy(() -> LinearScorer.read(file)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aModelKeepsItsFoldedScorerBesideItAndReadsItFromThereNextTime(@TempDir Path dir)
      throws Exception {
    SentimentModel trained = TestModels.model();
    Path version = dir.resolve(trained.version());
    Files.createDirectories(version);
    // The MLlib stages of the copy are the trained model's; no scorer file yet.
    trained.pipeline().write().save(version.resolve(SentimentModel.MODEL_DIR).toString());

    LinearScorer first = SentimentModel.load(version).scorer().orElseThrow();
    assertThat(version.resolve(SentimentModel.SCORER_FILE)).isRegularFile();
    // Removing the MLlib stages shows the second load reads only the scorer file.
    try (var files = Files.walk(version.resolve(SentimentModel.MODEL_DIR))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    LinearScorer second = SentimentModel.load(version).scorer().orElseThrow();

    int[] buckets = TermPresence.buckets(Tokenizer.words("a superb, moving film"));
    assertThat(second.margin(buckets)).isEqualTo(first.margin(buckets));
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
