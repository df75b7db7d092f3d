package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.testkit.EmbeddedPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A producer that starts the moment {@link KafkaTopics#ensure} returns delivers every record to a
 * new topic. Before ensure waited for the partition leaders, about one new topic in fifteen lost a
 * batch on one partition: its first request met a partition not yet created, a later pipelined one
 * was appended, and the broker refused the first batch's retries as out of order.
 */
class NewTopicDeliveryIT {
  private static final int TOPICS = 40;
  private static final int PARTITIONS = 4;
  private static final int RECORDS = 1_000;

  /** Incompressible values of review size, so each partition gets several pipelined batches. */
  private static final int VALUE_BYTES = 1_300;

  @Test
  void everyRecordReachesATopicCreatedAMomentBefore() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Random random = new Random(21);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      byte[] value = new byte[VALUE_BYTES];
      random.nextBytes(value);
      values.add(value);
    }
    Properties props = ReliableProducer.properties(platform.kafka(), "new-topic-test");
    // A stuck batch fails in seconds rather than the default two minutes.
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);

    List<String> failures = new ArrayList<>();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      for (int t = 0; t < TOPICS; t++) {
        String topic = "new-topic-" + UUID.randomUUID();
        assertThat(topics.ensure(topic, PARTITIONS)).isEqualTo(PARTITIONS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
          List<Future<RecordMetadata>> acks = new ArrayList<>();
          for (int i = 0; i < RECORDS; i++) {
            acks.add(
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), values.get(i))));
          }
          for (Future<RecordMetadata> ack : acks) {
            try {
              ack.get();
            } catch (ExecutionException e) {
              failures.add(topic + ": " + e.getCause().getMessage());
              break;
            }
          }
        }
        assertThat(failures).as("failed deliveries after %d topics", t + 1).isEmpty();
        assertThat(topics.endOffsetSum(topic)).as("records in %s", topic).isEqualTo(RECORDS);
      }
    }
  }
}
