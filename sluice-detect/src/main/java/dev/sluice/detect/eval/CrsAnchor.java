package dev.sluice.detect.eval;

import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.ModSecurityEngine;
import java.util.Set;

/**
 * The anchor the issue measures Sluice against: the Core Rule Set alone, in its default anomaly
 * scoring mode, where an event counts as detected when the rules ask to block it.
 */
public final class CrsAnchor implements Detector {
  private final ModSecurityEngine engine;

  public CrsAnchor(ModSecurityEngine engine) {
    this.engine = engine;
  }

  @Override
  public Set<String> classes(HttpEvent event) {
    return engine.evaluate(event).disruptive() ? Set.of(UNCLASSIFIED) : Set.of();
  }
}
