package dev.sluice.loadgen.reviews;

import dev.sluice.core.reviews.Review;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Reviews to replay, readable any number of times in the same order. */
public interface ReviewSource {

  /** One pass over the reviews, in order; close the stream when done. */
  Stream<Review> pass();

  /** How many reviews one pass has, when known without reading it. */
  OptionalLong size();

  /** What the reviews are, for progress and summary lines, e.g. {@code IMDB held-out reviews}. */
  String description();

  /** Input lines rejected so far (each reported once). */
  default long skipped() {
    return 0;
  }
}
