package dev.sluice.detect;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule that matched in a ModSecurity transaction, read from the message the engine logs for it,
 * e.g. {@code ModSecurity: Warning. Matched "Operator `Rx' ... against variable `ARGS:q' ... [id
 * "942100"] [msg "SQL Injection Attack Detected via libinjection"] [data "Matched Data: s&sos found
 * within ARGS:q: ' or 1=1"] ...}.
 *
 * @param ruleId the rule's {@code id}
 * @param variable the collection and key the rule matched, e.g. {@code ARGS:q} or {@code
 *     REQUEST_HEADERS:User-Agent}: the variable the engine names, which comes before any quoted
 *     input, so input cannot forge it; when that is {@code MATCHED_VAR} or {@code TX:...} (the last
 *     link of a chained rule), the rule's own "found within" from its log data; else empty
 */
public record RuleMatch(String ruleId, String message, String variable) {
  private static final Pattern ID = Pattern.compile("\\[id \"(\\d+)\"\\]");
  private static final Pattern MSG = Pattern.compile("\\[msg \"([^\"]*)\"\\]");
  private static final Pattern FOUND_WITHIN =
      Pattern.compile("\\[data \"Matched Data: .*? found within ([A-Z_]+(?::[^:]*)?): ");
  private static final Pattern AGAINST = Pattern.compile("against variable `([^']*)'");

  /** The match a log message describes, or empty when the message names no rule id. */
  static Optional<RuleMatch> fromLog(String message) {
    Matcher id = ID.matcher(message);
    if (!id.find()) {
      return Optional.empty();
    }
    Matcher msg = MSG.matcher(message);
    Matcher within = FOUND_WITHIN.matcher(message);
    Matcher against = AGAINST.matcher(message);
    String variable = against.find() ? against.group(1) : "";
    if (variable.isEmpty() || variable.startsWith("MATCHED_VAR") || variable.startsWith("TX:")) {
      variable = within.find() ? within.group(1) : "";
    }
    return Optional.of(new RuleMatch(id.group(1), msg.find() ? msg.group(1) : "", variable));
  }
}
