package dev.sluice.detect;

import java.util.Optional;

/** The attack classes findings name, and the CRS rule file each class comes from. */
public enum AttackKind {
  SQLI("sqli", "942"),
  XSS("xss", "941"),
  CMDI("cmdi", "932"),
  TRAVERSAL("traversal", "930"),
  RFI("rfi", "931"),
  PHP("php", "933"),
  NODEJS("nodejs", "934"),
  SESSION_FIXATION("session-fixation", "943"),
  JAVA("java", "944"),
  PROTOCOL_ATTACK("protocol-attack", "921");

  private final String label;
  private final String rulePrefix;

  AttackKind(String label, String rulePrefix) {
    this.label = label;
    this.rulePrefix = rulePrefix;
  }

  /** The name alerts and incidents use, e.g. {@code sqli}. */
  public String label() {
    return label;
  }

  /**
   * The class of a CRS rule id, from the rule set's numbering (9421xx are SQL injection rules,
   * 930xxx local file inclusion and traversal, ...); empty for rules that detect no attack class,
   * such as protocol enforcement or the anomaly score evaluation.
   */
  public static Optional<AttackKind> ofCrsRule(String ruleId) {
    if (ruleId.length() != 6) {
      return Optional.empty();
    }
    for (AttackKind kind : values()) {
      if (ruleId.startsWith(kind.rulePrefix)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
