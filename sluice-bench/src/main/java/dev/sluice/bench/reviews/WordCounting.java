package dev.sluice.bench.reviews;

import dev.sluice.bench.PlainLoopWork;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.Tokenizer;
import java.util.HashMap;
import java.util.Map;

/**
 * One plain-loop thread of the reviews benchmark: the least work any implementation of the reviews
 * pipeline must do, decoding every record with {@link ReviewCodec}, splitting valid reviews with
 * the same {@link Tokenizer}, and counting words in a map of its own.
 */
final class WordCounting implements PlainLoopWork {
  private final Map<String, Long> counts = new HashMap<>();
  private long quarantined;

  @Override
  public void accept(byte[] key, byte[] value) {
    ReviewCodec.Decoded decoded = ReviewCodec.decode(value);
    if (decoded.ok()) {
      for (String word : Tokenizer.words(decoded.review().text())) {
        counts.merge(word, 1L, Long::sum);
      }
    } else {
      quarantined++;
    }
  }

  /** Occurrences of every word in the valid reviews this thread read. */
  Map<String, Long> counts() {
    return counts;
  }

  /** Records this thread read that were not valid reviews. */
  long quarantined() {
    return quarantined;
  }
}
