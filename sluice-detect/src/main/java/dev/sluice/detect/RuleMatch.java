package dev.sluice.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule that matched in a ModSecurity transaction, read from the message the engine logs for it,
 * e.g. {@code ModSecurity: Warning. Matched "Operator `Rx' ... against variable `ARGS:q' (Value:
 * `...' ) [file "..."] [line "571"] [id "942100"] [msg "..."] [data "Matched Data: s&sos found
 * within ARGS:q: ' or 1=1"] ...}.
 *
 * <p>The message quotes input, and the engine does not escape it everywhere: the {@code Value}
 * before the rule's id is raw, so an attacker can write {@code [id "942190"]} or {@code against
 * variable `ARGS:text'} into it. The message is therefore read as every rule id and every variable
 * it names: input can add candidates but never remove the true one, so a forged name can make an
 * attack more visible, never hide it.
 *
 * @param ruleId one rule id the message names
 * @param variables every collection and key the message names, in order, e.g. {@code ARGS:q},
 *     {@code REQUEST_HEADERS:User-Agent}; {@code MATCHED_VAR} and {@code TX:...}, which a chained
 *     rule's last link names, are left out because they say nothing about the field
 */
public record RuleMatch(String ruleId, String message, List<String> variables) {
  private static final Pattern ID = Pattern.compile("\\[id \"(\\d+)\"\\]");
  private static final Pattern MSG = Pattern.compile("\\[msg \"([^\"]*)\"\\]");
  private static final Pattern VARIABLE =
      Pattern.compile("(?:against variable `|found within )([A-Z_]+(?::[^:'\\]]*)?)(?:'|: )");

  public RuleMatch {
    variables = List.copyOf(variables);
  }

  /** The matches a log message describes: one per rule id it names, none when it names none. */
  static List<RuleMatch> fromLog(String message) {
    Set<String> ids = new LinkedHashSet<>();
    Matcher id = ID.matcher(message);
    while (id.find()) {
      ids.add(id.group(1));
    }
    if (ids.isEmpty()) {
      return List.of();
    }
    Set<String> variables = new LinkedHashSet<>();
    Matcher variable = VARIABLE.matcher(message);
    while (variable.find()) {
      String name = variable.group(1);
      if (!name.startsWith("MATCHED_VAR") && !name.startsWith("TX:") && !name.equals("TX")) {
        variables.add(name);
      }
    }
    Matcher msg = MSG.matcher(message);
    String text = msg.find() ? msg.group(1) : "";
    List<RuleMatch> matches = new ArrayList<>();
    for (String ruleId : ids) {
      matches.add(new RuleMatch(ruleId, text, new ArrayList<>(variables)));
    }
    return matches;
  }
}
