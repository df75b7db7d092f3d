package dev.sluice.spark.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.reviews.SentimentModels;
import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SentimentTrainerTest {

  @Test
  void trainingWritesACompleteVersionWithHonestMetrics() throws Exception {
    Path version = SentimentModels.newest(TestModels.modelsDir()).orElseThrow();
    JsonNode metrics =
        new ObjectMapper().readTree(version.resolve(SentimentModels.METRICS_FILE).toFile());
    assertThat(metrics.get("classifier").asText()).isEqualTo("lr");
    long training = metrics.get("training_reviews").asLong();
    long test = metrics.get("test_reviews").asLong();
    assertThat(training + test).isEqualTo(TestModels.SAMPLE);
    assertThat((double) test / (training + test)).isBetween(0.17, 0.23);
    assertThat(
            metrics.get("class_balance").get("pos").asLong()
                + metrics.get("class_balance").get("neg").asLong())
        .isEqualTo(TestModels.SAMPLE);
    for (String metric : List.of("accuracy", "f1", "roc_auc")) {
      assertThat(metrics.get(metric).asDouble()).as(metric).isBetween(0.7, 1.0);
    }
    assertThat(metrics.get("model_bytes").asLong()).isPositive();
    assertThat(Files.isDirectory(version.resolve("pipeline"))).isTrue();
  }

  @Test
  void theSavedModelTokenizesWithSluicesTokenizer() {
    SentimentModel model = TestModels.model();
    StructType schema = new StructType().add("text", DataTypes.StringType);
    Dataset<Row> input =
        SparkTestSession.get()
            .createDataFrame(
                List.of(RowFactory.create("<b>The</b> film’s ending was NOT good!")), schema);
    Row row = model.pipeline().transform(input).select("tokens").first();
    assertThat(row.<String>getList(0)).containsExactly("film's", "ending", "good");
  }

  @Test
  void theBundledStopWordsAreSparksDefaultEnglishList() {
    assertThat(dev.sluice.core.reviews.Tokenizer.stopWords())
        .containsExactlyInAnyOrder(StopWordsRemover.loadDefaultStopWords("english"));
  }
}
