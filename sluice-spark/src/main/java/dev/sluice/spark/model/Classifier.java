package dev.sluice.spark.model;

import java.util.Locale;

/** The classifiers {@code ./sluice train --classifier} offers. */
public enum Classifier {
  /** The default: logistic regression on TF-IDF of words and word pairs. */
  LOGISTIC_REGRESSION("lr"),
  /** The original design's choice (random forest on TF-IDF), kept for comparison. */
  RANDOM_FOREST("rf");

  private final String flag;

  Classifier(String flag) {
    this.flag = flag;
  }

  public String flag() {
    return flag;
  }

  public static Classifier fromFlag(String text) {
    for (Classifier c : values()) {
      if (c.flag.equals(text.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    return null;
  }
}
