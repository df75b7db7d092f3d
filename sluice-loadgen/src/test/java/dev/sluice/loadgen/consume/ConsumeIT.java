package dev.sluice.loadgen.consume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice consume} against a real Kafka broker, run in this JVM as the launcher runs it.
 */
class ConsumeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedPlatform platform;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.shared();
  }

  @Test
  void printsEveryRecordAsAJsonLineAndMovesNoGroupUnlessAsked() throws Exception {
    // Step 1: three records of every kind on a fresh topic of two partitions.
    String topic = "consume-" + UUID.randomUUID();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(topic, 2);
    }
    byte[] notUtf8 = {(byte) 0xC3, 0x28};
    send(topic, "acct-ä", "{\"id\":\"acct-ä\",\"revenue\":12.50}".getBytes(StandardCharsets.UTF_8));
    send(topic, "k2", "plain text".getBytes(StandardCharsets.UTF_8));
    send(topic, null, notUtf8);
    Set<String> groupsBefore = groups();

    // Step 2: print them from the beginning.
    Run run = consume(List.of(topic, "--from-beginning", "--count", "3"));

    // Step 3: one JSON line each, the JSON value inline, and no consumer group left behind.
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonNode> lines = run.lines();
    assertThat(lines).hasSize(3);
    JsonNode json = find(lines, "acct-ä");
    assertThat(json.get("topic").asText()).isEqualTo(topic);
    assertThat(json.get("value").get("revenue").decimalValue()).isEqualByComparingTo("12.50");
    assertThat(json.get("offset").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(json.get("timestamp").asLong()).isGreaterThan(1_700_000_000_000L);
    assertThat(find(lines, "k2").get("value").asText()).isEqualTo("plain text");
    JsonNode binary = find(lines, null);
    assertThat(binary.get("value").isNull()).isTrue();
    assertThat(binary.get("value_base64").asText()).isEqualTo("wyg=");
    assertThat(run.stderr()).contains("3 records from topic '" + topic + "' (count reached)");
    assertThat(groups()).isEqualTo(groupsBefore);

    // With --group, what was printed is committed for that group.
    String group = "consume-it-" + UUID.randomUUID();
    Run grouped = consume(List.of(topic, "--from-beginning", "--count", "3", "--group", group));
    assertThat(grouped.lines()).hasSize(3);
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
          .isEqualTo(3);
    }
  }

  @Test
  void withoutFromBeginningOnlyNewRecordsArePrintedAndATimeoutEndsIt() throws Exception {
    String topic = "consume-new-" + UUID.randomUUID();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(topic, 1);
    }
    send(topic, "old", "{\"n\":0}".getBytes(StandardCharsets.UTF_8));

    Run quiet = consume(List.of(topic, "--timeout", "2"));
    assertThat(quiet.exitCode()).isZero();
    assertThat(quiet.lines()).isEmpty();
    assertThat(quiet.stderr()).contains("0 records from topic '" + topic + "' (no record for 2 s)");

    // A record sent while it waits is printed; the old one is not.
    CompletableFuture<Run> waiting =
        CompletableFuture.supplyAsync(
            () -> consume(List.of(topic, "--count", "1", "--timeout", "60")));
    for (int n = 1; n <= 100 && !waiting.isDone(); n++) {
      send(topic, "new", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
      Thread.sleep(300);
    }
    Run fresh = waiting.get(90, TimeUnit.SECONDS);
    assertThat(fresh.lines()).hasSize(1);
    assertThat(fresh.lines().get(0).get("key").asText()).isEqualTo("new");
    assertThat(fresh.lines().get(0).get("value").get("n").asInt()).isPositive();
  }

  @Test
  void anUnknownTopicIsAnErrorListingTheTopicsThatExist() throws Exception {
    String existing = "consume-known-" + UUID.randomUUID();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(existing, 1);
    }
    Run run = consume(List.of("no-such-topic-" + UUID.randomUUID(), "--timeout", "1"));
    assertThat(run.exitCode()).isEqualTo(ConsumeMain.EXIT_USAGE);
    assertThat(run.lines()).isEmpty();
    assertThat(run.stderr())
        .contains("sluice consume: no topic 'no-such-topic-")
        .contains(existing);
    assertThat(run.stderr()).doesNotContain("__consumer_offsets");
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Run(int exitCode, String stdout, String stderr) {
    List<JsonNode> lines() {
      List<JsonNode> lines = new ArrayList<>();
      stdout
          .lines()
          .forEach(
              line -> {
                try {
                  lines.add(JSON.readTree(line));
                } catch (Exception e) {
                  throw new AssertionError("not a JSON line: " + line, e);
                }
              });
      return lines;
    }
  }

  private static Run consume(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ConsumeMain.run(
            args,
            platform.env(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode find(List<JsonNode> lines, String key) {
    return lines.stream()
        .filter(l -> key == null ? l.get("key").isNull() : key.equals(l.get("key").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line with key " + key + " in " + lines));
  }

  private static void send(String topic, String key, byte[] value) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        ReliableProducer.create(platform.kafka(), "consume-it")) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka());
    return Admin.create(props);
  }

  private static Set<String> groups() throws Exception {
    try (Admin admin = admin()) {
      return admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
          .map(ConsumerGroupListing::groupId)
          .collect(java.util.stream.Collectors.toSet());
    }
  }
}
