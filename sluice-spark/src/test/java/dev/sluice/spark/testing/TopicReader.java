package dev.sluice.spark.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic as it is now, for tests of what a pipeline published. */
public final class TopicReader {
  private static final long READ_TIMEOUT_SECONDS = 60;

  private TopicReader() {}

  /** A record's key, value and timestamp (epoch ms), in the order of its partition. */
  public record Message(String key, String value, long timestamp) {}

  /** Every record of the topic up to its end offsets now, partition by partition. */
  public static List<Message> readAll(String kafka, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      List<Message> messages = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READ_TIMEOUT_SECONDS);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("topic " + topic + " not read to its end within 60 s");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          messages.add(new Message(record.key(), record.value(), record.timestamp()));
        }
      }
      return messages;
    }
  }

  /** The last value of every key, as a consumer that compacts by key would keep it. */
  public static Map<String, String> lastValueByKey(String kafka, String topic) {
    Map<String, String> last = new LinkedHashMap<>();
    for (Message message : readAll(kafka, topic)) {
      last.put(message.key(), message.value());
    }
    return new TreeMap<>(last);
  }
}
