package dev.sluice.bench;

import java.util.Iterator;
import java.util.function.Supplier;

/** What a benchmark loads into its topics. */
public interface BenchRecords {
  /**
   * For the progress lines, e.g. {@code 50,000 IMDB reviews from <file>, cycled with fresh ids}.
   */
  String description();

  /**
   * The records from the first one, without end: each call starts over. Keys repeat within one only
   * where the pipeline's records do (revenue updates its ids again and again). Called from one
   * thread.
   */
  Iterator<BenchRecord> iterator();

  /** An iterator without end over what {@code next} returns, for a generator. */
  static Iterator<BenchRecord> endless(Supplier<BenchRecord> next) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public BenchRecord next() {
        return next.get();
      }
    };
  }
}
