package dev.sluice.loadgen.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calls producer against a real Kafka broker: what it says it sent is what is there. */
class CallsProducerIT {
  @TempDir Path dir;

  @Test
  void generatedCallsAreKeyedByCrimeIdAndDecode() {
    String topic = "calls-" + UUID.randomUUID();

    Output output =
        produce(
            List.of(
                "--rate",
                "2000",
                "--count",
                "600",
                "--seed",
                "9",
                "--start",
                "2018-12-31T20:00",
                "--topic",
                topic));

    assertThat(output.exitCode()).as(output.stderr()).isZero();
    assertThat(output.stderr()).contains("sent 600 calls to topic '" + topic + "'", ", 0 failed");
    List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, 600);
    for (ConsumerRecord<String, byte[]> record : records) {
      PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(record.value());
      assertThat(decoded.reason()).isNull();
      assertThat(record.key()).isEqualTo(decoded.call().crimeId());
      assertThat(decoded.call().callDateTime()).isGreaterThanOrEqualTo("2018-12-31T20:00");
    }
  }

  @Test
  void theReleasedArrayIsReplayedInEventTimeOrderWithItsBadRecordsAsWritten() throws Exception {
    // Newest first, as the dataset is released, over many lines, with one record that is no call.
    StringBuilder array = new StringBuilder("[\n");
    int calls = 300;
    for (int i = 0; i < calls; i++) {
      int minutes = (calls - i) * 7;
      array
          .append("  {\n    \"crime_id\": \"")
          .append(1000 + i)
          .append("\",\n    \"original_crime_type_name\": \"Passing Call\",\n")
          .append("    \"call_date_time\": \"")
          .append(PoliceCallCodec.callDateTime(1_546_300_800_000L + minutes * 60_000L))
          .append("\",\n    \"disposition\": \"HAN\"\n  },\n");
    }
    array.append("  {\"crime_id\": 5}\n]\n");
    Path file = Files.writeString(dir.resolve("calls.json"), array);
    String topic = "calls-" + UUID.randomUUID();

    Output output = produce(List.of("--file", file.toString(), "--rate", "5000", "--topic", topic));

    assertThat(output.exitCode()).as(output.stderr()).isZero();
    assertThat(output.stderr())
        .contains("(a JSON array, in event-time order)")
        .contains("sent 301 calls to topic '" + topic + "'");
    // Within each partition, calls arrive in event-time order; the record without a time first.
    Map<Integer, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : consumeAll(topic, calls + 1)) {
      byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
    }
    int keyless = 0;
    for (List<ConsumerRecord<String, byte[]>> partition : byPartition.values()) {
      long previous = Long.MIN_VALUE;
      for (ConsumerRecord<String, byte[]> record : partition) {
        long time = EventTimeOrder.eventMillis(record.value());
        assertThat(time).isGreaterThanOrEqualTo(previous);
        previous = time;
        if (record.key() == null) {
          keyless++;
        }
      }
    }
    assertThat(keyless).isEqualTo(1);
  }

  private record Output(int exitCode, String stderr) {}

  /** Runs the producer as {@code ./sluice produce calls} does, in this JVM. */
  private static Output produce(List<String> args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exitCode =
        new CallsProducer()
            .run(null, args, SluiceConfig.from(EmbeddedPlatform.shared().env()), err);
    return new Output(exitCode, bytes.toString(StandardCharsets.UTF_8));
  }

  private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedPlatform.shared().kafka());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
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
