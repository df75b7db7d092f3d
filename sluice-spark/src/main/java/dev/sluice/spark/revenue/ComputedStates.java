package dev.sluice.spark.revenue;

import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.core.revenue.RevenueResults;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes an id's computed state ({@link RevenueResults#computed}) to the computed topic, keyed
 * by id, after {@link LatestStateScript} found its record to be the id's latest; remembers the
 * first send Kafka refused, for {@link #flush}. The {@code revenue-latest} query's sink and the
 * benchmark's plain loop publish through it.
 */
public final class ComputedStates {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final AtomicReference<Exception> failedSend = new AtomicReference<>();

  public ComputedStates(KafkaProducer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Sends the record's state when the script found it to be its id's latest. */
  public void publishIfLatest(LatestStateScript.Outcome outcome, RevenueRecord record) {
    if (outcome.isLatest()) {
      producer.send(
          new ProducerRecord<>(
              topic, record.id(), JsonRecords.write(RevenueResults.computed(record))),
          (metadata, error) -> {
            if (error != null) {
              failedSend.compareAndSet(null, error);
            }
          });
    }
  }

  /**
   * Waits until everything sent is acknowledged or refused; returns the first refusal. Callbacks
   * run before {@link KafkaProducer#flush} returns, so every failed send is known here.
   */
  public Optional<Exception> flush() {
    producer.flush();
    return Optional.ofNullable(failedSend.get());
  }

  public String topic() {
    return topic;
  }
}
