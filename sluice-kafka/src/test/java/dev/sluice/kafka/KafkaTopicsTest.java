package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The admin client's bounds: a short timeout is allowed, and it is what a dead broker costs. */
class KafkaTopicsTest {
  /** Nothing listens on port 1 of the loopback: every connection is refused at once. */
  private static final String NO_BROKER = "127.0.0.1:1";

  @Test
  void aTimeoutShorterThanOneRequestsDefaultBoundsEveryCall() {
    try (KafkaTopics topics = new KafkaTopics(NO_BROKER, Duration.ofSeconds(2))) {
      long started = System.nanoTime();

      assertThatThrownBy(() -> topics.endOffsetSum("calls"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("cannot read the end offsets of topic calls");

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }
}
