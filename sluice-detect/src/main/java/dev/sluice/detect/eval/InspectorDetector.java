package dev.sluice.detect.eval;

import dev.sluice.detect.Finding;
import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.Inspector;
import java.util.Set;
import java.util.TreeSet;

/** Sluice's inspector as an evaluated detector: the classes of its findings. */
public final class InspectorDetector implements Detector {
  private final Inspector inspector;

  public InspectorDetector(Inspector inspector) {
    this.inspector = inspector;
  }

  @Override
  public Set<String> classes(HttpEvent event) {
    Set<String> classes = new TreeSet<>();
    for (Finding finding : inspector.inspect(event)) {
      classes.add(finding.kind());
    }
    return classes;
  }
}
