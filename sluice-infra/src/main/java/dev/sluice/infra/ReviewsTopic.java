package dev.sluice.infra;

import dev.sluice.core.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the reviews topic with the broker's own 4.x admin client (sluice-kafka's 3.9 client
 * cannot share this classpath) and waits until every partition has a leader, so the first producer
 * does not see leader-not-available errors.
 */
final class ReviewsTopic {
  private static final Logger log = LoggerFactory.getLogger(ReviewsTopic.class);

  private ReviewsTopic() {}

  static void ensure(String bootstrap, int partitions, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "sluice-infra",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis());
    try (Admin admin = Admin.create(config)) {
      boolean exists =
          admin
              .listTopics()
              .names()
              .get(remaining(deadline), TimeUnit.NANOSECONDS)
              .contains(Topics.REVIEWS);
      if (!exists) {
        try {
          admin
              .createTopics(List.of(new NewTopic(Topics.REVIEWS, partitions, (short) 1)))
              .all()
              .get(remaining(deadline), TimeUnit.NANOSECONDS);
          log.info("Created topic {} with {} partitions", Topics.REVIEWS, partitions);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      while (true) {
        TopicDescription topic;
        try {
          topic =
              admin
                  .describeTopics(List.of(Topics.REVIEWS))
                  .allTopicNames()
                  .get(remaining(deadline), TimeUnit.NANOSECONDS)
                  .get(Topics.REVIEWS);
        } catch (ExecutionException e) {
          // A topic just created is unknown to the broker's metadata for a moment.
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || remaining(deadline) <= 0) {
            throw e;
          }
          Thread.sleep(100);
          continue;
        }
        if (topic.partitions().stream()
            .map(TopicPartitionInfo::leader)
            .allMatch(leader -> leader != null && !leader.isEmpty())) {
          if (topic.partitions().size() != partitions) {
            log.warn(
                "Topic {} has {} partitions; SLUICE_REVIEWS_PARTITIONS={} applies only when Sluice"
                    + " creates it",
                Topics.REVIEWS,
                topic.partitions().size(),
                partitions);
          }
          return;
        }
        if (remaining(deadline) <= 0) {
          throw new TimeoutException(
              "partitions of topic " + Topics.REVIEWS + " have no leader after " + timeout);
        }
        Thread.sleep(100);
      }
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
