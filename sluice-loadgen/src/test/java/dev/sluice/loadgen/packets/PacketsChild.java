package dev.sluice.loadgen.packets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.process.SluiceModules;
import dev.sluice.core.security.Packet;
import dev.sluice.core.security.PacketCodec;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The {@code import} and {@code capture} mains run as the launcher runs them, in a child JVM
 * against the embedded platform, and the packets read back from the topic.
 */
final class PacketsChild {
  private final Process process;
  private final StringBuffer stderr = new StringBuffer();
  private final Thread reader;

  private PacketsChild(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (var lines = process.errorReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  stderr.append(line).append('\n');
                }
              } catch (IOException e) {
                stderr.append("(stderr unreadable: ").append(e.getMessage()).append(")\n");
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  static PacketsChild start(
      EmbeddedPlatform platform, String mainClass, List<String> args, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder =
        SluiceModules.locate().java("sluice-loadgen", mainClass, List.of("-Xmx512m"), args);
    builder.environment().remove("SLUICE_KAFKA");
    builder.environment().putAll(platform.env());
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return new PacketsChild(builder.start());
  }

  /** Waits (generously) for the child to end; its exit status. */
  int waitFor() throws InterruptedException {
    assertThat(process.waitFor(5, TimeUnit.MINUTES))
        .as("the child ends; stderr:\n%s", stderr)
        .isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  /** Waits until stderr has a line containing {@code text}, at most {@code timeout}. */
  void awaitStderr(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stderr.toString().contains(text)
        && System.nanoTime() - deadline < 0
        && process.isAlive()) {
      Thread.sleep(100);
    }
    assertThat(stderr.toString()).as("stderr of the child").contains(text);
  }

  /**
   * SIGTERM, as a service manager stops a process; {@code Process.destroy} would close its output.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  String stderr() {
    return stderr.toString();
  }

  /** Every record of the topic until {@code done} holds for them or 60 s pass. */
  static List<ConsumerRecord<String, byte[]>> consume(
      EmbeddedPlatform platform,
      String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka());
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
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      do {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        if (partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))
            && done.test(records)) {
          break;
        }
      } while (System.nanoTime() - deadline < 0);
    }
    return records;
  }

  /** Decodes every record with the pipeline's codec; each key is the packet's id. */
  static List<Packet> decode(List<ConsumerRecord<String, byte[]>> records) {
    List<Packet> packets = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      PacketCodec.Decoded decoded = PacketCodec.decode(record.value());
      assertThat(decoded.reason()).as(new String(record.value(), StandardCharsets.UTF_8)).isNull();
      assertThat(record.key()).isEqualTo(decoded.packet().id());
      packets.add(decoded.packet());
    }
    return packets;
  }
}
