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
   * Whether the rule file numbered {@code fileNumber} (the {@code 942} of {@code
   * REQUEST-942-APPLICATION-ATTACK-SQLI.conf}) holds rules of an attack class: only its rules'
   * matches can become findings.
   */
  public static boolean isAttackRuleFile(String fileNumber) {
    for (AttackKind kind : values()) {
      if (kind.rulePrefix.equals(fileNumber)) {
        return true;
      }
    }
    return false;
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
