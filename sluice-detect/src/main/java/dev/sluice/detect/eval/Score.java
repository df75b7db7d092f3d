package dev.sluice.detect.eval;

/**
 * How a detector did on one corpus.
 *
 * @param detected for an attack corpus, entries flagged with the corpus's class (or flagged at all,
 *     for a detector that does not classify); for a benign corpus, entries flagged with any class
 */
public record Score(String corpus, String attackClass, int detected, int total) {
  public Score {
    if (detected < 0 || total < 0 || detected > total) {
      throw new IllegalArgumentException(detected + " of " + total + " is not a count");
    }
  }

  public boolean benign() {
    return attackClass == null;
  }

  /** Recall for an attack corpus, false-positive rate for a benign one; 0 for an empty corpus. */
  public double rate() {
    return total == 0 ? 0.0 : (double) detected / total;
  }
}
