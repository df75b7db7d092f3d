package dev.sluice.bench.reviews;

import dev.sluice.bench.BenchRecord;
import dev.sluice.bench.BenchRecords;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.loadgen.reviews.ReviewReplayer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reviews replayed as often as a run needs, each time as new reviews: the review's id is the
 * record's key, its JSON ({@link ReviewCodec#encode}) the value, and from the second pass on every
 * id gets the pass number as a suffix ({@code imdb-123~2}), as {@code ./sluice produce reviews}
 * replays them.
 */
final class CycledReviews implements BenchRecords {
  private final List<Review> reviews;
  private final String description;

  /**
   * @param reviews one pass, each with an id
   * @param from what they are, e.g. {@code IMDB reviews from <file>}
   */
  CycledReviews(List<Review> reviews, String from) {
    if (reviews.isEmpty()) {
      throw new IllegalArgumentException("no reviews to replay: " + from);
    }
    for (Review review : reviews) {
      if (review.id() == null) {
        throw new IllegalArgumentException("a review without an id cannot be replayed as new");
      }
    }
    this.reviews = List.copyOf(reviews);
    this.description =
        String.format(Locale.ROOT, "%,d %s, cycled with fresh ids", this.reviews.size(), from);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Iterator<BenchRecord> iterator() {
    return new Iterator<>() {
      /**
       * The first pass's JSON, kept for later passes, which splice the suffix into the id: encoding
       * is a third of the CPU time of a bulk load otherwise.
       */
      private final List<byte[]> firstPass = new ArrayList<>(reviews.size());

      private long next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public BenchRecord next() {
        int index = (int) (next % reviews.size());
        long pass = next / reviews.size() + 1;
        next++;
        Review review = reviews.get(index);
        if (pass == 1) {
          byte[] json = ReviewCodec.encode(review);
          firstPass.add(json);
          return new BenchRecord(review.id(), json);
        }
        String suffix = "~" + pass;
        if (review.id().length() + suffix.length() > Review.MAX_ID_CHARS) {
          throw new IllegalStateException(
              "review id " + review.id() + " is too long to be replayed with the suffix " + suffix);
        }
        return new BenchRecord(
            review.id() + suffix, ReviewReplayer.withIdSuffix(firstPass.get(index), suffix));
      }
    };
  }
}
