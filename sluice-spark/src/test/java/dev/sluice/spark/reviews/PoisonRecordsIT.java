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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values no store can hold, and values built to hurt a parser, straight into Kafka between good
 * reviews: each is quarantined with a reason that says what is wrong, the pipeline runs to the end,
 * and every good review is counted once.
 */
class PoisonRecordsIT {
  static final String TOPIC = "poison-reviews";
  static final int GOOD = 600;

  /** Each poison value with the reason its quarantine row must give, exactly or as a prefix. */
  static Map<String, byte[]> poison() {
    Map<String, byte[]> values = new LinkedHashMap<>();
    values.put("text contains U+0000 at character 2", utf8("{\"text\":\"a\\u0000b\"}"));
    values.put(
        "text contains an unpaired surrogate U+D800 at character 6",
        utf8("{\"text\":\"fine \\ud800\"}"));
    values.put(
        "text contains an unpaired surrogate U+DC00 at character 1",
        utf8("{\"text\":\"\\udc00 then text\"}"));
    values.put(
        "id contains U+0000 at character 3", utf8("{\"id\":\"ab\\u0000\",\"text\":\"fine\"}"));
    values.put(
        "text has 20001 characters, more than the limit of 20000",
        utf8("{\"text\":\"" + "x".repeat(20_001) + "\"}"));
    values.put(
        "JSON nested deeper than 32 levels",
        utf8("{\"text\":\"x\",\"n\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"));
    values.put(
        "text has 1000000 characters, more than the limit of 20000",
        utf8("{\"text\":\"" + "y".repeat(1_000_000) + "\"}"));
    ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
    latin1.writeBytes(utf8("{\"text\":\"caf"));
    latin1.write(0xE9); // é in Latin-1: not UTF-8
    latin1.writeBytes(utf8("\"}"));
    values.put("not valid JSON: Invalid UTF-8", latin1.toByteArray());
    values.put("not valid JSON: Illegal unquoted character", utf8("{\"text\":\"a\u0000b\"}"));
    return values;
  }

  @Test
  void poisonIsQuarantinedWithItsReasonAndEveryGoodReviewIsCountedOnce() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    List<Review> reviews = TestData.imdbReviews(47_000, GOOD);
    Map<String, byte[]> poison = poison();
    List<byte[]> values = new ArrayList<>();
    List<byte[]> poisonValues = new ArrayList<>(poison.values());
    // Spread out, so that poison shares batches with good reviews.
    int stride = GOOD / poisonValues.size();
    for (int i = 0; i < reviews.size(); i++) {
      values.add(ReviewCodec.encode(reviews.get(i)));
      if (i % stride == 0 && i / stride < poisonValues.size()) {
        values.add(poisonValues.get(i / stride));
      }
    }
    TopicWriter.write(platform.kafka(), TOPIC, 2, values);

    PipelineRun run =
        new PipelineRun(
            platform,
            ReviewsDefinition.NAME,
            TestModels.homeWithModel("poison"),
            "poison_records",
            TOPIC,
            100);
    assertThat(run.runOnce(600)).as("exit code; log: " + run.log()).isZero();

    try (Connection connection = run.connect()) {
      List<String> reasons =
          TableRows.rows(
              connection, "SELECT reason FROM quarantine ORDER BY kafka_partition, kafka_offset");
      assertThat(reasons).hasSize(poison.size());
      for (String expected : poison.keySet()) {
        assertThat(reasons)
            .as("a quarantine reason starting with: " + expected)
            .anyMatch(r -> r.startsWith(expected));
      }
      assertThat(TableRows.count(connection, "SELECT count(DISTINCT id) FROM predictions"))
          .isEqualTo(GOOD);
      assertThat(TableRows.count(connection, "SELECT count(*) FROM predictions")).isEqualTo(GOOD);
      assertThat(
              TableRows.count(connection, "SELECT coalesce(sum(records), 0) FROM pipeline_batches"))
          .isEqualTo(values.size());
      assertThat(
              TableRows.count(
                  connection, "SELECT coalesce(sum(quarantined), 0) FROM pipeline_batches"))
          .isEqualTo(poison.size());
      assertThat(
              TableRows.count(
                  connection, "SELECT reviews FROM accuracy ORDER BY batch_id DESC LIMIT 1"))
          .isEqualTo(GOOD);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
