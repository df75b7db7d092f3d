package dev.sluice.loadgen;

import java.util.Locale;

/** Numbers as the progress and summary lines show them: {@code 1,000,000}, whatever the locale. */
public final class NumberText {
  private NumberText() {}

  public static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
