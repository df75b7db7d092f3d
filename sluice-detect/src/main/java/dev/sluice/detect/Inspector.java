package dev.sluice.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds injection attacks in one HTTP-like event, field by field: libinjection's SQLi and XSS tests
 * on the decoded fields their role allows, and the OWASP Core Rule Set at paranoia level 1 on the
 * whole request, each rule match kept when the role of the field it matched accepts the rule (see
 * {@link FieldRole}).
 *
 * <p>Thread-safe: all threads share the compiled rule set, each inspection runs its own transaction
 * (except an event with no request part, whose answer is worked out at opening). Deterministic:
 * findings come in field order (path, query, headers, body), then libinjection before rules, then
 * in the order the rules ran.
 */
public final class Inspector implements AutoCloseable {
  /** The paranoia level of the rule set; level 2 is unusable on free text (issue 8's anchor). */
  public static final int PARANOIA_LEVEL = 1;

  /** A value that continues a numeric expression with a boolean operator: {@code or 1=1}. */
  private static final Pattern BOOLEAN_SUFFIX =
      Pattern.compile("\\s*(?:(?i:or|and|xor)[\\s(]|\\|\\||&&)");

  /** An event with no method, path, headers or payload: a network sensor's connection record. */
  private static final HttpEvent NO_REQUEST = new HttpEvent(null, null, null, null);

  private final ModSecurityEngine engine;
  private final List<Finding> noRequestFindings;

  private Inspector(ModSecurityEngine engine, boolean shortcuts) {
    this.engine = engine;
    // Every such event is the same request to the engine ("GET /", nothing else), so its findings
    // (none, with Debian's rule set) are worked out once instead of once per event.
    this.noRequestFindings = shortcuts ? inspectFully(NO_REQUEST) : null;
  }

  /**
   * An inspector with Debian's rule set.
   *
   * @throws NativeEngines.MissingEngineException naming the package to install
   */
  public static Inspector open() {
    return open(CoreRuleSet.DEBIAN);
  }

  /**
   * An inspector with {@code ruleSet}'s attack rules only ({@link CoreRuleSet#loadAttackRules}),
   * which inspects an event with no request part once, at opening: the same findings as {@link
   * #openComplete}, faster ({@code docs/security-detection.md}, "Speed").
   */
  public static Inspector open(CoreRuleSet ruleSet) {
    return new Inspector(ruleSet.loadAttackRules(PARANOIA_LEVEL), true);
  }

  /**
   * An inspector that runs every request rule file of {@code ruleSet} on every event, with no
   * shortcut: the reference the tests hold {@link #open} to, and the benchmarks' "before".
   */
  public static Inspector openComplete(CoreRuleSet ruleSet) {
    return new Inspector(ruleSet.load(PARANOIA_LEVEL), false);
  }

  public List<Finding> inspect(HttpEvent event) {
    if (noRequestFindings != null && hasNoRequest(event)) {
      return noRequestFindings;
    }
    return inspectFully(event);
  }

  /** Whether the engine would see {@link #NO_REQUEST}'s request: {@code GET /} and nothing else. */
  private static boolean hasNoRequest(HttpEvent event) {
    return event.path() == null
        && event.payload() == null
        && event.headers().isEmpty()
        && (event.method() == null || event.method().isBlank() || event.method().equals("GET"));
  }

  private List<Finding> inspectFully(HttpEvent event) {
    List<InspectedField> fields = InspectedField.of(event);
    Set<Finding> findings = new LinkedHashSet<>();
    for (InspectedField field : fields) {
      if (field.value().isEmpty()) {
        continue;
      }
      if (field.role().libinjectionSqli()) {
        sqliFingerprint(field)
            .ifPresent(
                fingerprint ->
                    findings.add(
                        new Finding(
                            AttackKind.SQLI.label(),
                            "libinjection:" + fingerprint,
                            field.name(),
                            Finding.excerpt(field.value()))));
      }
      if (field.role().libinjectionXss() && LibInjection.xss(field.value())) {
        findings.add(
            new Finding(
                AttackKind.XSS.label(),
                "libinjection:xss",
                field.name(),
                Finding.excerpt(field.value())));
      }
    }
    List<Finding> ruleFindings = new ArrayList<>();
    for (RuleMatch match : engine.evaluate(event).matches()) {
      Optional<AttackKind> kind = AttackKind.ofCrsRule(match.ruleId());
      if (kind.isEmpty()) {
        continue;
      }
      // The first field the message names whose role accepts the rule: forged names in the
      // message can add a field, never take the true one away (see RuleMatch).
      List<String> variables = match.variables().isEmpty() ? List.of("") : match.variables();
      for (String variable : variables) {
        InspectedField field = RuleFields.fieldOf(variable, event, fields);
        if (field.role().acceptsRule(match.ruleId())) {
          ruleFindings.add(
              new Finding(
                  kind.get().label(),
                  match.ruleId(),
                  field.name(),
                  Finding.excerpt(field.value())));
          break;
        }
      }
    }
    List<Finding> ordered = new ArrayList<>();
    for (InspectedField field : fields) {
      for (Finding finding : findings) {
        if (finding.field().equals(field.name())) {
          ordered.add(finding);
        }
      }
      for (Finding finding : ruleFindings) {
        if (finding.field().equals(field.name()) && !ordered.contains(finding)) {
          ordered.add(finding);
        }
      }
    }
    for (Finding finding : ruleFindings) {
      if (!ordered.contains(finding)) {
        ordered.add(finding);
      }
    }
    return List.copyOf(ordered);
  }

  /**
   * libinjection's fingerprint for the field's value as it is, and, for a parameter that starts
   * with a boolean operator, also after a number. libinjection tries a value as it is and inside
   * single and double quotes, but not after a number, where a parameter such as {@code id=5} puts
   * it: {@code or 1=1--} is an attack there and nothing alone (its fingerprint after "1 " is {@code
   * 1&1c}). Only values that start with {@code or}, {@code and}, {@code xor}, {@code ||} or {@code
   * &&} are tried so: tried on every value, "1 " before ordinary search text such as "While killing
   * time on a Saturday" gave fingerprints too.
   */
  private static Optional<String> sqliFingerprint(InspectedField field) {
    Optional<String> fingerprint = LibInjection.sqli(field.value());
    if (fingerprint.isEmpty()
        && field.role() == FieldRole.PARAMETER
        && BOOLEAN_SUFFIX.matcher(field.value()).lookingAt()) {
      fingerprint = LibInjection.sqli("1 " + field.value());
    }
    return fingerprint;
  }

  @Override
  public void close() {
    engine.close();
  }
}
