package dev.sluice.spark.security;

import dev.sluice.detect.Inspector;

/**
 * The one {@link Inspector} of a JVM: its compiled rule set takes seconds and megabytes to load,
 * and it is thread-safe, so every task of an executor shares it. It lives as long as the JVM.
 */
final class Detectors {
  private Detectors() {}

  private static final class Holder {
    static final Inspector INSPECTOR = Inspector.open();
  }

  static Inspector inspector() {
    return Holder.INSPECTOR;
  }
}
