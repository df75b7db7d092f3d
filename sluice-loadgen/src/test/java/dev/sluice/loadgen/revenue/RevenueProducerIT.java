package dev.sluice.loadgen.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revenue producer against a real Kafka broker: what it says it sent is what is there. */
class RevenueProducerIT {
  private static EmbeddedPlatform platform;

  @TempDir Path dir;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.shared();
  }

  @Test
  void generatedRecordsArriveKeyedByIdWithTheLateAndDuplicateOnesItCounted() throws Exception {
    // Step 1: 3,000 records of 50 ids, a tenth late and a tenth duplicated.
    String topic = "revenue-" + UUID.randomUUID();
    Output output =
        produce(
            List.of(
                "--ids",
                "50",
                "--rate",
                "1000",
                "--count",
                "3000",
                "--late-share",
                "0.1",
                "--duplicate-share",
                "0.1",
                "--seed",
                "3",
                "--topic",
                topic));
    assertThat(output.exitCode()).as(output.stderr()).isZero();
    Matcher summary =
        Pattern.compile("sent 3,000 records \\(([\\d,]+) late, ([\\d,]+) duplicates\\)")
            .matcher(output.stderr());
    assertThat(summary.find()).as(output.stderr()).isTrue();
    long late = Long.parseLong(summary.group(1).replace(",", ""));
    long duplicates = Long.parseLong(summary.group(2).replace(",", ""));
    assertThat(output.stderr()).contains(", 0 failed");

    // Step 2: read the topic back, partition by partition, in order.
    List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, 3_000);

    // Step 3: one id, one partition; in each partition's order, a repeated value is a duplicate
    // and a new state older than one already there is late, exactly as many as reported.
    Map<String, Integer> partitionOf = new HashMap<>();
    Map<String, String> newest = new HashMap<>();
    Set<String> seen = new HashSet<>();
    long repeated = 0;
    long older = 0;
    boolean numericIds = false;
    for (ConsumerRecord<String, byte[]> record : records) {
      RevenueCodec.Decoded decoded = RevenueCodec.decode(record.value());
      assertThat(decoded.reason()).isNull();
      RevenueRecord state = decoded.record();
      numericIds |= state.numericId();
      assertThat(record.key()).isEqualTo(state.id());
      Integer partition = partitionOf.putIfAbsent(state.id(), record.partition());
      assertThat(partition == null || partition == record.partition()).isTrue();
      String value = new String(record.value(), StandardCharsets.UTF_8);
      if (!seen.add(value)) {
        repeated++;
        continue;
      }
      String before = newest.get(state.id());
      if (before != null && state.version().compareTo(before) < 0) {
        older++;
      } else {
        newest.put(state.id(), state.version());
      }
    }
    assertThat(repeated).isEqualTo(duplicates);
    assertThat(older).isEqualTo(late);
    assertThat(late).isBetween(200L, 400L);
    assertThat(duplicates).isBetween(200L, 400L);
    assertThat(numericIds).isTrue();
    assertThat(partitionOf).hasSizeLessThanOrEqualTo(50);
  }

  @Test
  void aFileIsSentAsItIsBadLinesIncludedAndTheRejectedOnesCounted() throws Exception {
    String topic = "revenue-file-" + UUID.randomUUID();
    List<String> lines =
        List.of(
            "{\"id\":\"acct-ä\",\"revenue\":\"12.50\",\"revenue_counter\":1,"
                + "\"timestamp\":\"2026-11-30T16:00:00Z\"}",
            "{\"id\":7,\"revenue\":1,\"revenue_counter\":-1,\"timestamp\":1}",
            "not json at all",
            "",
            "{\"id\":7,\"revenue\":3.5,\"revenue_counter\":2,\"timestamp\":1764518400000}");
    Path file = dir.resolve("revenue.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

    Output output = produce(List.of("--file", file.toString(), "--rate", "0", "--topic", topic));

    assertThat(output.exitCode()).as(output.stderr()).isZero();
    assertThat(output.stderr())
        .contains(
            "sent 4 records (2 the pipeline will quarantine, 1 empty or too long lines left out)")
        .contains(file + ":2: the pipeline will quarantine it: revenue_counter")
        .contains(file + ":3: the pipeline will quarantine it: not valid JSON");
    List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, 4);
    Map<String, String> keyOf = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      keyOf.put(new String(record.value(), StandardCharsets.UTF_8), record.key());
    }
    assertThat(keyOf.keySet())
        .containsExactlyInAnyOrder(lines.get(0), lines.get(1), lines.get(2), lines.get(4));
    assertThat(keyOf.get(lines.get(0))).isEqualTo("acct-ä");
    assertThat(keyOf.get(lines.get(1))).isEqualTo("7");
    assertThat(keyOf.get(lines.get(2))).isNull();
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Output(int exitCode, String stderr) {}

  /** Runs the producer as {@code ./sluice produce revenue} does, in this JVM. */
  private static Output produce(List<String> args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exitCode = new RevenueProducer().run(null, args, SluiceConfig.from(platform.env()), err);
    return new Output(exitCode, bytes.toString(StandardCharsets.UTF_8));
  }

  /** Every record of the topic, partition after partition, each in its order. */
  private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<Integer, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
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
        consumer
            .poll(Duration.ofMillis(500))
            .forEach(
                r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
      }
    }
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    byPartition.values().forEach(records::addAll);
    assertThat(records).as("records in %s", topic).hasSize(expected);
    return records;
  }
}
