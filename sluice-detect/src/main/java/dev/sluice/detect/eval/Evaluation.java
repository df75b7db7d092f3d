package dev.sluice.detect.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Runs a detector over corpora and prints recall per attack corpus and false positives. */
public final class Evaluation {
  private Evaluation() {}

  /** One score per corpus, in order. */
  public static List<Score> run(Detector detector, List<Corpus> corpora) {
    List<Score> scores = new ArrayList<>();
    for (Corpus corpus : corpora) {
      int detected = 0;
      for (String entry : corpus.entries()) {
        if (counts(corpus, detector.classes(corpus.delivery().event(entry)))) {
          detected++;
        }
      }
      scores.add(new Score(corpus.name(), corpus.attackClass(), detected, corpus.entries().size()));
    }
    return scores;
  }

  /** Whether the classes found in one entry count as detected (attack) or false positive. */
  static boolean counts(Corpus corpus, Set<String> found) {
    if (corpus.benign()) {
      return !found.isEmpty();
    }
    return found.contains(corpus.attackClass()) || found.contains(Detector.UNCLASSIFIED);
  }

  /** A Markdown table: corpus, class, count, and recall or false-positive rate in percent. */
  public static String table(String title, List<Score> scores) {
    StringBuilder out = new StringBuilder();
    out.append("| corpus | class | ").append(title).append(" | rate |\n");
    out.append("|---|---|---|---|\n");
    for (Score score : scores) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d/%d | %s %.1f%% |%n",
              score.corpus(),
              score.benign() ? "benign" : score.attackClass(),
              score.detected(),
              score.total(),
              score.benign() ? "false positives" : "recall",
              100.0 * score.rate()));
    }
    return out.toString();
  }
}
