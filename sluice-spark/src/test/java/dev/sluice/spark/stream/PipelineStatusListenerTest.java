package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The Kafka lag the status listener publishes for a source: records written to its topics and not
 * read by the batch that just ended, from the brokers when they answer, else Spark's figure from
 * when the batch was planned.
 */
class PipelineStatusListenerTest {
  private static final String END = "{\"calls\":{\"0\":100,\"1\":250}}";

  /** Spark's latest offsets when a batch that took everything was planned: its own end. */
  private static final String LATEST_AT_PLANNING = END;

  private static ToLongFunction<String> written(Map<String, Long> topics) {
    return topic -> {
      Long records = topics.get(topic);
      if (records == null) {
        throw new IllegalStateException("no such topic: " + topic);
      }
      return records;
    };
  }

  @Test
  void recordsThatArrivedWhileTheBatchRanAreLag() {
    assertThat(
            PipelineStatusListener.kafkaLag(
                END, LATEST_AT_PLANNING, written(Map.of("calls", 350L + 26_000L))))
        .isEqualTo(26_000L);
  }

  @Test
  void aCaughtUpQueryHasNoLag() {
    assertThat(PipelineStatusListener.kafkaLag(END, END, written(Map.of("calls", 350L)))).isZero();
  }

  @Test
  void everyTopicOfTheSourceCounts() {
    String end = "{\"a\":{\"0\":10},\"b\":{\"0\":5,\"1\":5}}";

    assertThat(PipelineStatusListener.kafkaLag(end, end, written(Map.of("a", 12L, "b", 17L))))
        .isEqualTo(2L + 7L);
  }

  @Test
  void brokersThatDoNotAnswerLeaveSparksFigureFromPlanning() {
    String latest = "{\"calls\":{\"0\":130,\"1\":260}}";

    assertThat(PipelineStatusListener.kafkaLag(END, latest, written(Map.of()))).isEqualTo(40L);
    assertThat(PipelineStatusListener.kafkaLag(END, latest, null)).isEqualTo(40L);
  }

  @Test
  void aTopicCountBehindTheBatchIsNoNegativeLag() {
    assertThat(PipelineStatusListener.kafkaLag(END, END, written(Map.of("calls", 300L)))).isZero();
  }

  @Test
  void withoutTheBatchsEndTheLagIsUnknown() {
    assertThat(PipelineStatusListener.kafkaLag(null, END, written(Map.of("calls", 350L)))).isNull();
    assertThat(PipelineStatusListener.kafkaLag(END, null, null)).isNull();
  }
}
