package dev.sluice.bench;

import java.util.Iterator;

/** What a benchmark loads into its topics. */
public interface BenchRecords {
  /**
   * For the progress lines, e.g. {@code 50,000 IMDB reviews from <file>, cycled with fresh ids}.
   */
  String description();

  /**
   * The records from the first one, without end: each call starts over, and no key repeats within
   * one. Called from one thread.
   */
  Iterator<BenchRecord> iterator();
}
