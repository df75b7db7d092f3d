package dev.sluice.bench;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.store.Database;
import dev.sluice.store.redis.Redis;
import java.util.Map;
import java.util.Optional;

/**
 * Where one phase of a benchmark run reads and writes, all of it the run's own ({@link BenchRun}):
 * what the pipeline's Spark part, the plain loop and the checks of a part ({@link
 * PipelineBenchmark}) are given.
 *
 * @param kafka the broker
 * @param topic the topic the phase reads, which the harness loaded
 * @param topics the measured input and each of the pipeline's outputs, by name, to the phase's own
 *     topic
 * @param database the phase's schema, with the platform's and the pipeline's tables
 * @param redis the platform's Redis, when it has one
 * @param redisNamespace the phase's own namespace in that Redis
 */
public record BenchTarget(
    String kafka,
    String topic,
    Map<String, String> topics,
    Database database,
    Optional<Redis> redis,
    String redisNamespace) {
  public BenchTarget {
    topics = Map.copyOf(topics);
  }

  /** The phase's topic for the measured input or one of the pipeline's outputs. */
  public String topic(InputTopic declared) {
    String own = topics.get(declared.name());
    if (own == null) {
      // Falling back to the declared name would write into the demo's topic.
      throw new IllegalArgumentException(
          "the benchmark run has no topic for " + declared.name() + "; it has " + topics.keySet());
    }
    return own;
  }

  /** The platform's Redis; fails with what to do when it has none. */
  public Redis requireRedis() {
    return redis.orElseThrow(
        () ->
            new IllegalStateException(
                "this benchmark needs Redis, and the platform has none: run it with ./sluice bench,"
                    + " which starts the embedded Redis, or set SLUICE_REDIS"));
  }
}
