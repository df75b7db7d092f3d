package dev.sluice.spark.testing;

import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Writes test records to a fresh topic with the producer settings Sluice itself uses. */
public final class TopicWriter {
  private TopicWriter() {}

  public static void write(String kafka, String topic, int partitions, List<byte[]> values)
      throws ExecutionException, InterruptedException {
    try (KafkaTopics topics = new KafkaTopics(kafka)) {
      topics.ensure(topic, partitions);
    }
    try (KafkaProducer<String, byte[]> producer = ReliableProducer.create(kafka, "sluice-test")) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      int i = 0;
      for (byte[] value : values) {
        acks.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i++), value)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
  }
}
