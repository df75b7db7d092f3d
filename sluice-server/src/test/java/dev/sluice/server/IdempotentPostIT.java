package dev.sluice.server;

import static dev.sluice.server.ReviewApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.server.support.TestServer;
import dev.sluice.testkit.EmbeddedPlatform;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A POST retried with the same id (its answer was lost, or it timed out) writes the record once:
 * the retry gets the first one's answer. Checked on the real topic: each test counts the records
 * with its ids.
 */
class IdempotentPostIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "idempotent-" + ProcessHandle.current().pid();
  private static TestServer server;

  @BeforeAll
  static void start() {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(TOPIC, 2);
    }
    server =
        TestServer.start(
            Optional.empty(), platform.kafka(), TestServer.freshSchema(platform), TOPIC);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSequentialRetryGetsTheFirstAnswerAndWritesNothing() throws Exception {
    String review =
        "{\"id\":\"retry-1\",\"text\":\"Seen twice, written once. Ça va.\",\"score\":4}";

    HttpResponse<String> first = post(review);
    HttpResponse<String> retry = post(review);
    // The same review, written differently: still the same record.
    HttpResponse<String> respaced =
        post(
            "{ \"score\": 4, \"text\": \"Seen twice, written once. Ça va.\", \"id\": \"retry-1\" }");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(respaced.statusCode()).as(respaced.body()).isEqualTo(200);
    assertThat(JSON.readTree(retry.body())).isEqualTo(JSON.readTree(first.body()));
    assertThat(JSON.readTree(respaced.body())).isEqualTo(JSON.readTree(first.body()));
    assertThat(retry.headers().firstValue("Location")).hasValue("/api/predictions/retry-1");
    assertThat(recordsWithKey("retry-1")).hasSize(1);
  }

  @Test
  void concurrentRetriesWaitForTheFirstAndAllGetItsAnswer() throws Exception {
    int clients = 24;
    String review = "{\"id\":\"together-1\",\"text\":\"Posted by many at once\"}";
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      answers.add(
          pool.submit(
              () -> {
                go.await();
                return post(review);
              }));
    }
    go.countDown();
    List<Integer> statuses = new ArrayList<>();
    List<JsonNode> bodies = new ArrayList<>();
    for (Future<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get();
      statuses.add(response.statusCode());
      bodies.add(JSON.readTree(response.body()));
    }
    pool.shutdown();

    assertThat(statuses).containsOnly(202, 200).filteredOn(s -> s == 202).hasSize(1);
    assertThat(bodies).allSatisfy(body -> assertThat(body).isEqualTo(bodies.get(0)));
    List<ConsumerRecord<String, byte[]>> written = recordsWithKey("together-1");
    assertThat(written).hasSize(1);
    assertThat(bodies.get(0).get("offset").asLong()).isEqualTo(written.get(0).offset());
  }

  @Test
  void theSameIdWithAnotherBodyIsAConflictAndWritesNothing() throws Exception {
    assertThat(post("{\"id\":\"clash-1\",\"text\":\"The first words\"}").statusCode())
        .isEqualTo(202);

    HttpResponse<String> clash = post("{\"id\":\"clash-1\",\"text\":\"Other words\"}");

    assertProblem(clash, 409, "already posted with a different body");
    assertThat(JSON.readTree(clash.body()).get("id").asText()).isEqualTo("clash-1");
    assertThat(recordsWithKey("clash-1")).hasSize(1);
  }

  @Test
  void postsWithoutAnIdAreNeverTakenForRetries() throws Exception {
    String review = "{\"text\":\"no-id-marker-7c1 twice on purpose\"}";
    HttpResponse<String> one = post(review);
    HttpResponse<String> two = post(review);

    assertThat(one.statusCode()).isEqualTo(202);
    assertThat(two.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(one.body()).get("id"))
        .isNotEqualTo(JSON.readTree(two.body()).get("id"));
  }

  @Test
  void aRetryAfterAFailedFirstAttemptWritesTheRecord() throws Exception {
    // The broker does not create topics: until this one exists, Kafka cannot take the record.
    String missing = "idempotent-late-" + ProcessHandle.current().pid();
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    try (TestServer late =
        TestServer.start(
            Optional.empty(), platform.kafka(), TestServer.freshSchema(platform), missing)) {
      String review = "{\"id\":\"late-1\",\"text\":\"Kafka could not take me at first\"}";

      HttpResponse<String> failed = late.postJson("/api/reviews", review, late.token());
      assertProblem(failed, 503, "retry with the same id");

      try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
        topics.ensure(missing, 1);
      }
      HttpResponse<String> retried = late.postJson("/api/reviews", review, late.token());
      HttpResponse<String> again = late.postJson("/api/reviews", review, late.token());

      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      assertThat(recordsWithKey(missing, "late-1")).hasSize(1);
    }
  }

  private static HttpResponse<String> post(String json) {
    return server.postJson("/api/reviews", json, server.token());
  }

  private static List<ConsumerRecord<String, byte[]>> recordsWithKey(String key) {
    return recordsWithKey(TOPIC, key);
  }

  /** Every record of the topic with this key, read from its beginning to its current end. */
  private static List<ConsumerRecord<String, byte[]>> recordsWithKey(String topic, String key) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedPlatform.shared().kafka());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        assertThat(System.nanoTime()).as("the topic is read to its end").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(record.key())) {
            found.add(record);
          }
        }
      }
      return found;
    }
  }
}
