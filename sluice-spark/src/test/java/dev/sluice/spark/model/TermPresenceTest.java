package dev.sluice.spark.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.Tokenizer;
import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.TestData;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The features are exactly those MLlib's word-pair and hashing stages compute. */
class TermPresenceTest {
  @Test
  void bucketsAreHashingTfIndices() {
    HashingTF hashing = new HashingTF().setNumFeatures(TermPresence.BUCKETS);
    for (String term :
        List.of("film", "great film", "überraschend", "最高の映画", "don't", "a b", "", "🎬 x")) {
      assertThat(TermPresence.bucket(term)).as(term).isEqualTo(hashing.indexOf(term));
    }
  }

  @Test
  void bucketsOfWordsAndPairsAreDistinctAndAscending() {
    assertThat(TermPresence.buckets(List.of())).isEmpty();
    assertThat(TermPresence.buckets(List.of("film"))).containsExactly(TermPresence.bucket("film"));
    int[] buckets = TermPresence.buckets(List.of("good", "good", "good"));
    assertThat(buckets)
        .containsExactlyInAnyOrder(TermPresence.bucket("good"), TermPresence.bucket("good good"));
    assertThat(buckets).isSorted();
  }

  @Test
  void vectorsEqualMllibsNgramAndBinaryHashingOnRealReviews() {
    List<String> texts = TestData.imdbReviews(30_000, 1_000).stream().map(Review::text).toList();
    texts = new java.util.ArrayList<>(texts);
    texts.add("Ein großartiger Film – 最高の映画! A word, a word, a WORD.");
    Dataset<Row> input =
        SparkTestSession.get().createDataset(texts, Encoders.STRING()).toDF(TokenizeStage.INPUT);
    PipelineModel mllib =
        new PipelineModel(
            "mllib-features",
            new Transformer[] {
              new TokenizeStage(),
              new NGram().setN(2).setInputCol(TokenizeStage.OUTPUT).setOutputCol("pairs"),
              new SQLTransformer()
                  .setStatement("SELECT *, concat(tokens, pairs) AS terms FROM __THIS__"),
              new HashingTF()
                  .setNumFeatures(TermPresence.BUCKETS)
                  .setBinary(true)
                  .setInputCol("terms")
                  .setOutputCol("expected")
            });
    List<Row> rows =
        new TermPresenceStage()
            .transform(mllib.transform(input))
            .select("text", "expected", TermPresenceStage.OUTPUT)
            .collectAsList();
    assertThat(rows).hasSize(texts.size());
    for (Row row : rows) {
      Vector expected = (Vector) row.get(1);
      Vector actual = (Vector) row.get(2);
      assertThat(actual.toSparse()).as(row.getString(0)).isEqualTo(expected.toSparse());
      assertThat(actual.numActives())
          .isEqualTo(TermPresence.buckets(Tokenizer.words(row.getString(0))).length);
    }
  }
}
