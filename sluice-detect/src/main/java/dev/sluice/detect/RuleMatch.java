package dev.sluice.detect;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule that matched in a ModSecurity transaction, read from the message the engine logs for it,
 * e.g. {@code ... [id "942100"] [msg "SQL Injection Attack Detected via libinjection"] [data
 * "Matched Data: s&sos found within ARGS:q: ' or 1=1"] [tag "paranoia-level/1"] ...}.
 *
 * @param ruleId the rule's {@code id}
 * @param variable the collection and key the rule matched in, e.g. {@code ARGS:q} or {@code
 *     REQUEST_HEADERS:User-Agent}; empty when the rule's log data does not say
 * @param paranoiaLevel the CRS paranoia level the rule belongs to (1 when it carries no tag)
 */
public record RuleMatch(String ruleId, String message, String variable, int paranoiaLevel) {
  private static final Pattern ID = Pattern.compile("\\[id \"(\\d+)\"\\]");
  private static final Pattern MSG = Pattern.compile("\\[msg \"([^\"]*)\"\\]");
  private static final Pattern WITHIN = Pattern.compile("found within ([A-Z_]+(?::[^:\\]]*)?): ");
  private static final Pattern PARANOIA = Pattern.compile("\\[tag \"paranoia-level/(\\d)\"\\]");

  /** The match a log line describes, or empty when the line names no rule id. */
  static Optional<RuleMatch> fromLog(String line) {
    Matcher id = ID.matcher(line);
    if (!id.find()) {
      return Optional.empty();
    }
    Matcher msg = MSG.matcher(line);
    Matcher within = WITHIN.matcher(line);
    Matcher paranoia = PARANOIA.matcher(line);
    return Optional.of(
        new RuleMatch(
            id.group(1),
            msg.find() ? msg.group(1) : "",
            within.find() ? within.group(1) : "",
            paranoia.find() ? Integer.parseInt(paranoia.group(1)) : 1));
  }

  /** The rule ids of {@code matches}, in order, for messages and tests. */
  static List<String> ids(List<RuleMatch> matches) {
    return matches.stream().map(RuleMatch::ruleId).toList();
  }
}
