package dev.sluice.loadgen.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.security.SensorEvent;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sensor simulator against a real Kafka broker: what it says it sent is what is there. */
class SensorsProducerIT {
  private static EmbeddedPlatform platform;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.shared();
  }

  @Test
  void aBoundedInjectionRunSendsEveryEventAndTheTruthOfEachPayload() throws Exception {
    // Step 1: run the simulator for 9 s of event time: attempts of six payloads 250 ms apart at
    // 1, 3, 5 and 7 s, the last one ending at 8.25 s.
    String events = "sensors-" + UUID.randomUUID();
    String truth = "truth-" + UUID.randomUUID();
    Output output =
        produce(
            List.of(
                "--scenario",
                "injection",
                "--rate",
                "200",
                "--duration",
                "9",
                "--seed",
                "4",
                "--texts",
                SensorTrafficTest.benignTextsFile().toString(),
                "--topic",
                events,
                "--truth-topic",
                truth));

    // Step 2: read both topics back.
    assertThat(output.exitCode()).as(output.stderr()).isZero();
    int expectedEvents = 9 * 200 + 4 * SensorTraffic.INJECTION_PAYLOADS;
    assertThat(output.stderr())
        .contains(
            "sent "
                + String.format("%,d", expectedEvents)
                + " events and 24 attack records to topics '"
                + events
                + "' and '"
                + truth
                + "'")
        .contains(", 0 failed");
    Map<String, SensorEvent> sent = decodeEvents(consumeAll(events, expectedEvents));
    List<JsonNode> truths = decodeTruth(consumeAll(truth, 24));

    // Step 3: every truth record names one event that carries its payload from its source.
    Set<String> named = new HashSet<>();
    for (JsonNode record : truths) {
      assertThat(record.get("class").textValue()).isIn("sqli", "xss", "traversal", "cmdi");
      assertThat(record.get("events")).hasSize(1);
      String id = record.get("events").get(0).textValue();
      SensorEvent event = sent.get(id);
      assertThat(event).as("event %s of %s", id, record).isNotNull();
      assertThat(named.add(id)).isTrue();
      assertThat(event.src()).isEqualTo(record.get("sources").get(0).textValue());
      assertThat(event.dst()).isEqualTo(record.get("target").textValue());
      assertThat(event.ts()).isEqualTo(record.get("onset").longValue());
      String payload = record.get("payload").textValue();
      assertThat(
              event.path().contains(SensorTraffic.urlComponent(payload))
                  || (event.payload() != null
                      && event.payload().contains(SensorTraffic.urlComponent(payload)))
                  || event.headers().containsValue(payload))
          .as("%s carries %s", event, payload)
          .isTrue();
    }
    assertThat(
            sent.values().stream()
                .filter(e -> SensorTrafficTest.attacker(e.src()))
                .map(SensorEvent::id))
        .containsExactlyInAnyOrderElementsOf(named);
  }

  @Test
  void aRunCutByItsCountEndsWithTheTruthOfTheFloodSoFar() throws Exception {
    String events = "sensors-" + UUID.randomUUID();
    String truth = "truth-" + UUID.randomUUID();
    Output output =
        produce(
            List.of(
                "--scenario",
                "ddos",
                "--rate",
                "100",
                "--count",
                "2000",
                "--seed",
                "8",
                "--texts",
                SensorTrafficTest.benignTextsFile().toString(),
                "--topic",
                events,
                "--truth-topic",
                truth));

    assertThat(output.exitCode()).as(output.stderr()).isZero();
    assertThat(output.stderr()).contains("sent 2,000 events and 1 attack records");
    Map<String, SensorEvent> sent = decodeEvents(consumeAll(events, 2_000));
    JsonNode flood = decodeTruth(consumeAll(truth, 1)).get(0);

    assertThat(flood.get("class").textValue()).isEqualTo("ddos");
    List<String> ids = new ArrayList<>();
    flood.get("events").forEach(id -> ids.add(id.textValue()));
    // Ordinary events until the flood at 5 s (500 of them), then the flood beside them.
    assertThat(ids).hasSizeGreaterThan(1_000);
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            sent.values().stream()
                .filter(e -> SensorTrafficTest.attacker(e.src()))
                .map(SensorEvent::id)
                .toList());
    Set<String> sources = new HashSet<>();
    flood.get("sources").forEach(s -> sources.add(s.textValue()));
    assertThat(sources)
        .isEqualTo(
            ids.stream()
                .map(id -> sent.get(id).src())
                .collect(java.util.stream.Collectors.toSet()));
    long last = ids.stream().mapToLong(id -> sent.get(id).ts()).max().orElseThrow();
    assertThat(flood.get("end").longValue()).isEqualTo(last);
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Output(int exitCode, String stderr) {}

  /** Runs the producer as {@code ./sluice produce sensors} does, in this JVM. */
  private static Output produce(List<String> args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exitCode = new SensorsProducer().run(null, args, SluiceConfig.from(platform.env()), err);
    return new Output(exitCode, bytes.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, SensorEvent> decodeEvents(
      List<ConsumerRecord<String, byte[]>> records) {
    Map<String, SensorEvent> events = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      SensorEventCodec.Decoded decoded = SensorEventCodec.decode(record.value());
      assertThat(decoded.reason()).as(new String(record.value(), StandardCharsets.UTF_8)).isNull();
      assertThat(record.key()).isEqualTo(decoded.event().id());
      assertThat(events.put(record.key(), decoded.event())).as("once: %s", record.key()).isNull();
    }
    return events;
  }

  private static List<JsonNode> decodeTruth(List<ConsumerRecord<String, byte[]>> records) {
    List<JsonNode> truths = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      JsonRecords.Parsed parsed = JsonRecords.parse(record.value());
      assertThat(parsed.reason()).isNull();
      assertThat(record.key()).isEqualTo(parsed.object().get("attack").textValue());
      truths.add(parsed.object());
    }
    return truths;
  }

  private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    assertThat(records).as("records in %s", topic).hasSize(expected);
    return records;
  }
}
