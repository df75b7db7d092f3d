package dev.sluice.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and reads their end offsets; used by everything that writes or watches a topic.
 */
public final class KafkaTopics implements AutoCloseable {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final long RETRY_MILLIS = 50;

  private final Admin admin;
  private final Duration timeout;

  public KafkaTopics(String bootstrapServers) {
    this(bootstrapServers, DEFAULT_TIMEOUT);
  }

  public KafkaTopics(String bootstrapServers, Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    // The client refuses an operation timeout shorter than one request's (30 s by default).
    props.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(timeout.toMillis(), DEFAULT_TIMEOUT.toMillis()));
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-admin");
    this.admin = Admin.create(props);
    this.timeout = timeout;
  }

  /**
   * Creates the topic with the given partitions unless it exists, and returns once every
   * partition's leader serves it; the result is the topic's partition count. An existing topic is
   * kept as it is, whatever its partition count, because repartitioning would move keys between
   * partitions.
   *
   * <p>Why wait for the leaders: a broker publishes a new topic's metadata a moment before it has
   * created the partitions. An idempotent producer that pipelines requests into that moment can
   * have its first batch refused while a later one is appended; the broker then rejects the first
   * batch's retries as out of order until the delivery timeout fails them. Seen on one partition of
   * about one new topic in fifteen.
   */
  public int ensure(String topic, int partitions) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) -1)))
          .all()
          .get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + timeout.toSeconds() + " s while creating topic " + topic,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
    return awaitLeaders(topic, deadline);
  }

  /** The partition count of an existing topic, once every partition's leader serves it. */
  public int partitions(String topic) {
    return awaitLeaders(topic, System.nanoTime() + timeout.toNanos());
  }

  /**
   * Polls until every partition's leader answers an offset request: a leader answers only once it
   * has created the partition, whereas topic metadata can be ahead of that.
   */
  private int awaitLeaders(String topic, long deadline) {
    Throwable last = null;
    while (true) {
      try {
        return endOffsets(topic, remainingNanos(deadline)).size();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new IllegalStateException(
              "cannot read the partitions of topic " + topic + ": " + e.getCause().getMessage(),
              e.getCause());
        }
        last = e.getCause();
      } catch (TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while waiting for the partitions of topic " + topic, e);
      }
      if (remainingNanos(deadline) <= TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS)) {
        throw new IllegalStateException(
            "the partitions of topic "
                + topic
                + " have no serving leader after "
                + timeout.toSeconds()
                + " s: "
                + last.getMessage(),
            last);
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while waiting for the partitions of topic " + topic, e);
      }
    }
  }

  /**
   * The sum over all partitions of the topic's end offsets: how many records it has ever received.
   */
  public long endOffsetSum(String topic) {
    try {
      return endOffsets(topic, timeout.toNanos()).values().stream()
          .mapToLong(ListOffsetsResultInfo::offset)
          .sum();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the end offsets of topic " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading offsets of " + topic, e);
    }
  }

  private Map<TopicPartition, ListOffsetsResultInfo> endOffsets(String topic, long timeoutNanos)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    TopicDescription description =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(remainingNanos(deadline), TimeUnit.NANOSECONDS)
            .get(topic);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    description
        .partitions()
        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    return admin.listOffsets(request).all().get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
  }

  private static long remainingNanos(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  @Override
  public void close() {
    admin.close();
  }
}
