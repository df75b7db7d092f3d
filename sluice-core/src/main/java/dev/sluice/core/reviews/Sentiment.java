package dev.sluice.core.reviews;

import java.util.Optional;

/** The two sentiment classes, as they appear on the wire ({@code pos}/{@code neg}). */
public enum Sentiment {
  NEG("neg", 0.0),
  POS("pos", 1.0);

  private final String wire;
  private final double label;

  Sentiment(String wire, double label) {
    this.wire = wire;
    this.label = label;
  }

  public String wire() {
    return wire;
  }

  /** The class index MLlib uses: 0 for negative, 1 for positive. */
  public double label() {
    return label;
  }

  public static Optional<Sentiment> fromWire(String text) {
    for (Sentiment s : values()) {
      if (s.wire.equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public static Sentiment fromLabel(double label) {
    return label >= 0.5 ? POS : NEG;
  }

  /**
   * The ground truth of a review: its label if present; else a score of 4 or 5 is positive, 1 or 2
   * negative, and 3 has none.
   */
  public static Optional<Sentiment> groundTruth(Sentiment label, Integer score) {
    if (label != null) {
      return Optional.of(label);
    }
    if (score == null || score == 3) {
      return Optional.empty();
    }
    return Optional.of(score >= 4 ? POS : NEG);
  }
}
