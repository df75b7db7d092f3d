package dev.sluice.kafka;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer settings under which nothing acknowledged is lost or duplicated: the idempotent
 * producer with {@code acks=all}. Batching settings favour throughput at a few milliseconds of
 * latency.
 */
public final class ReliableProducer {
  private ReliableProducer() {}

  public static Properties properties(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  /**
   * For a producer whose every record has someone waiting on its acknowledgement (an HTTP POST):
   * the reliable settings without lingering, which would only add latency, since records that
   * arrive while a produce request is in flight are batched anyway, and without compression, which
   * for such small batches costs more CPU (fresh LZ4 buffers per batch) than it saves on the wire.
   */
  public static Properties perRecordProperties(String bootstrapServers, String clientId) {
    Properties props = properties(bootstrapServers, clientId);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    return props;
  }

  /**
   * For loading a fresh topic as fast as possible: the reliable settings with larger batches and
   * more buffer, since latency does not matter there.
   */
  public static Properties bulkProperties(String bootstrapServers, String clientId) {
    Properties props = properties(bootstrapServers, clientId);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    return props;
  }

  public static KafkaProducer<String, byte[]> create(String bootstrapServers, String clientId) {
    return new KafkaProducer<>(properties(bootstrapServers, clientId));
  }
}
