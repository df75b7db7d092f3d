package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.server.pipeline.RecordIngest;
import dev.sluice.server.support.TestServer;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POST /api/reviews against the real server, a real broker and the real topic. */
class ReviewApiIT {
  private static final String TOKEN = "test-token-5f1c";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Optional.of(TOKEN));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void acceptedReviewIsOnTheTopicOnceWithItsIdAndFields() throws Exception {
    HttpResponse<String> response =
        server.postJson(
            "/api/reviews",
            "{\"id\":\"r-accept-1\",\"text\":\"A fine film.\",\"score\":4,\"label\":\"pos\"}",
            TOKEN);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(response.headers().firstValue("Location")).hasValue("/api/predictions/r-accept-1");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("id").asText()).isEqualTo("r-accept-1");
    assertThat(body.get("topic").asText()).isEqualTo(ReviewsDefinition.TOPIC);

    List<ConsumerRecord<String, byte[]>> records =
        readTopic(
            Map.of(
                new TopicPartition(ReviewsDefinition.TOPIC, body.get("partition").asInt()),
                body.get("offset").asLong()),
            1);
    ConsumerRecord<String, byte[]> record = records.get(0);
    assertThat(record.key()).isEqualTo("r-accept-1");
    Review review = ReviewCodec.decode(record.value()).review();
    assertThat(review)
        .isEqualTo(
            new Review(
                "r-accept-1", "A fine film.", 4, dev.sluice.core.reviews.Sentiment.POS, null));
  }

  @Test
  void reviewWithoutIdGetsAUuid() throws Exception {
    HttpResponse<String> response =
        server.postJson("/api/reviews", "{\"text\":\"No id here\"}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(202);
    String id = JSON.readTree(response.body()).get("id").asText();
    assertThat(java.util.UUID.fromString(id).toString()).isEqualTo(id);
    JsonNode body = JSON.readTree(response.body());
    ConsumerRecord<String, byte[]> record =
        readTopic(
                Map.of(
                    new TopicPartition(ReviewsDefinition.TOPIC, body.get("partition").asInt()),
                    body.get("offset").asLong()),
                1)
            .get(0);
    assertThat(record.key()).isEqualTo(id);
    assertThat(ReviewCodec.decode(record.value()).review().id()).isEqualTo(id);
  }

  @Test
  void everyAcknowledgedReviewReachesTheTopicExactlyOnce() throws Exception {
    int count = 300;
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String json =
          "{\"id\":\"once-"
              + i
              + "\",\"text\":\"review number "
              + i
              + "\",\"score\":"
              + (1 + i % 5)
              + "}";
      answers.add(clients.submit(() -> server.postJson("/api/reviews", json, TOKEN)));
    }
    Map<String, long[]> acknowledged = new HashMap<>();
    Map<TopicPartition, Long> from = new HashMap<>();
    for (Future<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      JsonNode body = JSON.readTree(response.body());
      acknowledged.put(
          body.get("id").asText(),
          new long[] {body.get("partition").asLong(), body.get("offset").asLong()});
      from.merge(
          new TopicPartition(ReviewsDefinition.TOPIC, body.get("partition").asInt()),
          body.get("offset").asLong(),
          Math::min);
    }
    clients.shutdown();
    assertThat(acknowledged).hasSize(count);

    Map<String, Integer> seen = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : readToEnd(from)) {
      if (acknowledged.containsKey(record.key())) {
        seen.merge(record.key(), 1, Integer::sum);
        assertThat(new long[] {record.partition(), record.offset()})
            .isEqualTo(acknowledged.get(record.key()));
        Review review = ReviewCodec.decode(record.value()).review();
        assertThat(review.text())
            .isEqualTo("review number " + record.key().substring("once-".length()));
      }
    }
    assertThat(seen).hasSize(count);
    assertThat(seen.values()).allMatch(n -> n == 1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          malformed JSON         | {"text": "unfinished            | not valid JSON
          not an object          | ["text"]                        | not a JSON object
          missing text           | {"score": 3}                    | text is missing
          empty text             | {"text": ""}                    | text is empty
          text not a string      | {"text": 42}                    | text must be a string, got a number
          score 0                | {"text": "ok", "score": 0}      | score must be a whole number from 1 to 5, got 0
          score 6                | {"text": "ok", "score": 6}      | score must be a whole number from 1 to 5, got 6
          score a string         | {"text": "ok", "score": "5"}    | score must be a whole number from 1 to 5, got a string
          score a fraction       | {"text": "ok", "score": 4.5}    | score must be a whole number from 1 to 5, got a number
          label unknown          | {"text": "ok", "label": "meh"}  | label must be "pos" or "neg"
          id a number            | {"text": "ok", "id": 7}         | id must be a string, got a number
          duplicate key          | {"text": "a", "text": "b"}      | not valid JSON
          trailing content       | {"text": "a"} {"text": "b"}     | unexpected content after the JSON object
          """)
  void invalidReviewIs400WithTheReasonAndNothingIsProduced(String name, String body, String reason)
      throws Exception {
    long before = endOffsets();

    HttpResponse<String> response = server.postJson("/api/reviews", body, TOKEN);

    assertProblem(response, 400, reason);
    assertThat(endOffsets()).isEqualTo(before);
  }

  @Test
  void textOverTheCharacterLimitIs400() throws Exception {
    String text = "a".repeat(Review.MAX_TEXT_CHARS + 1);
    HttpResponse<String> response =
        server.postJson("/api/reviews", "{\"text\":\"" + text + "\"}", TOKEN);
    assertProblem(response, 400, "text has 20001 characters, more than the limit of 20000");
  }

  @Test
  void textAtTheCharacterLimitIsAccepted() throws Exception {
    String text = "é".repeat(Review.MAX_TEXT_CHARS); // 40,000 bytes: under 64 KiB
    assertThat(server.postJson("/api/reviews", "{\"text\":\"" + text + "\"}", TOKEN).statusCode())
        .isEqualTo(202);
  }

  @Test
  void bodyOverSixtyFourKibIs413WithOrWithoutContentLength() throws Exception {
    long before = endOffsets();
    String big = "{\"text\":\"" + "x".repeat(RecordIngest.MAX_BODY_BYTES) + "\"}";

    HttpResponse<String> sized = server.postJson("/api/reviews", big, TOKEN);
    HttpResponse<String> chunked =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/reviews"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build());

    assertProblem(sized, 413, "at most 65536 bytes");
    assertProblem(chunked, 413, "at most 65536 bytes");
    assertThat(endOffsets()).isEqualTo(before);
  }

  @Test
  void missingOrWrongTokenIs401AndNothingIsProduced() throws Exception {
    long before = endOffsets();
    String review = "{\"text\":\"sneaky\"}";

    HttpResponse<String> missing = server.postJson("/api/reviews", review, null);
    HttpResponse<String> wrong = server.postJson("/api/reviews", review, TOKEN + "x");
    HttpResponse<String> otherScheme =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/reviews"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(review))
                .build());

    assertProblem(missing, 401, "requires 'Authorization: Bearer <token>'");
    assertProblem(wrong, 401, "the bearer token is wrong");
    assertProblem(otherScheme, 401, "must use the Bearer scheme");
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"sluice\"");
    assertThat(endOffsets()).isEqualTo(before);
  }

  @Test
  void bodyThatIsNotDeclaredJsonIs415() throws Exception {
    HttpResponse<String> form =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/reviews"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("text=hello"))
                .build());
    assertProblem(form, 415, "Content-Type: application/json");
  }

  @Test
  void readEndpointsNeedNoTokenAndCorsIsOff() throws Exception {
    HttpResponse<String> response =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/words/top"))
                .header("Origin", "https://example.org")
                .GET()
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    JsonNode info = JSON.readTree(server.get("/api/info").body());
    assertThat(info.get("write_auth").asText()).isEqualTo("bearer");
    JsonNode reviews = null;
    for (JsonNode pipeline : info.get("pipelines")) {
      if (pipeline.get("name").asText().equals("reviews")) {
        reviews = pipeline;
      }
    }
    assertThat(reviews).as("the reviews pipeline in %s", info).isNotNull();
    assertThat(reviews.get("page").asText()).isEqualTo("/reviews/");
    assertThat(reviews.get("queries")).hasSize(1);
    assertThat(reviews.get("queries").get(0).asText()).isEqualTo("reviews");
    assertThat(reviews.get("live").asBoolean()).isTrue();
    assertThat(reviews.get("max_text_chars").asInt()).isEqualTo(20_000);
  }

  @Test
  void metricsCountRequestsAndProduceLatency() throws Exception {
    server.postJson("/api/reviews", "{\"text\":\"counted\"}", TOKEN);
    server.postJson("/api/reviews", "{\"text\":\"\"}", TOKEN);

    HttpResponse<String> metrics = server.get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    String text = metrics.body();
    assertThat(
            counter(
                text,
                "sluice_http_requests_total{method=\"POST\",route=\"/api/reviews\",status=\"202\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            counter(
                text,
                "sluice_http_requests_total{method=\"POST\",route=\"/api/reviews\",status=\"400\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(counter(text, "sluice_kafka_produce_duration_seconds_count"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            counter(
                text,
                "sluice_http_request_duration_seconds_count{method=\"POST\",route=\"/api/reviews\"}"))
        .isGreaterThanOrEqualTo(2);
    assertThat(counter(text, "sluice_records_accepted_total{pipeline=\"reviews\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            counter(text, "sluice_records_rejected_total{pipeline=\"reviews\",reason=\"invalid\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(text).contains("# TYPE sluice_sse_clients gauge");
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = server.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).get("kafka").asText()).isEqualTo("up");
    assertThat(JSON.readTree(ready.body()).get("database").asText()).isEqualTo("up");
  }

  @Test
  void unknownPathAndMethodAreProblems() throws Exception {
    assertProblem(server.get("/api/nothing"), 404, "there is no /api/nothing");
    HttpResponse<String> delete =
        server.send(HttpRequest.newBuilder(server.uri("/api/reviews")).DELETE().build());
    assertProblem(delete, 405, "DELETE is not allowed");
  }

  static long counter(String metrics, String sample) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(sample + " "))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(sample.length() + 1)))
        .findFirst()
        .orElse(-1);
  }

  static void assertProblem(HttpResponse<String> response, int status, String detailPart)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).contains(detailPart);
  }

  private static long endOffsets() {
    try (dev.sluice.kafka.KafkaTopics topics =
        new dev.sluice.kafka.KafkaTopics(EmbeddedPlatform.shared().kafka())) {
      return topics.endOffsetSum(ReviewsDefinition.TOPIC);
    }
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedPlatform.shared().kafka());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  /** The first {@code count} records from the given positions. */
  private static List<ConsumerRecord<String, byte[]>> readTopic(
      Map<TopicPartition, Long> from, int count) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(records).hasSizeGreaterThanOrEqualTo(count);
      return records.subList(0, count);
    }
  }

  /** Every record from the given positions up to the current end of those partitions. */
  private static List<ConsumerRecord<String, byte[]>> readToEnd(Map<TopicPartition, Long> from) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
