package dev.sluice.detect.eval;

import dev.sluice.detect.HttpEvent;
import java.util.Set;

/** What an evaluation measures: a detector that looks at one event at a time. */
public interface Detector {
  /**
   * The attack classes found in {@code event}; empty when it looks benign. A detector that blocks
   * without naming a class returns {@link #UNCLASSIFIED}.
   */
  Set<String> classes(HttpEvent event);

  /** The class a detector reports when it flags an event without saying what kind of attack. */
  String UNCLASSIFIED = "flagged";
}
