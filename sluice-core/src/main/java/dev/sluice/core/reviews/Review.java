package dev.sluice.core.reviews;

import java.util.Optional;

/**
 * A review event as it travels on the {@code reviews} topic (JSON, UTF-8).
 *
 * @param id the review's id; {@code null} on the wire means the pipeline assigns one from the
 *     record's Kafka coordinates, so a replay assigns the same id
 * @param text 1 to {@value #MAX_TEXT_CHARS} characters
 * @param score optional rating 1..5
 * @param label optional ground-truth label
 * @param ts optional event time, epoch millis
 */
public record Review(String id, String text, Integer score, Sentiment label, Long ts) {
  public static final int MAX_TEXT_CHARS = 20_000;
  public static final int MAX_ID_CHARS = 200;

  public Optional<Sentiment> truth() {
    return Sentiment.groundTruth(label, score);
  }

  public Review withId(String newId) {
    return new Review(newId, text, score, label, ts);
  }
}
