package dev.sluice.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatchTest {
  @Test
  void readsIdMessageAndVariableFromTheEngineLog() {
    String log =
        "ModSecurity: Warning. Matched \"Operator `Rx' with parameter `(?i:x)' against variable"
            + " `ARGS:text' (Value: `Pluses: Mary Boland' ) [file \"/usr/share/modsecurity-crs/"
            + "rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf\"] [line \"571\"] [id \"942130\"]"
            + " [rev \"\"] [msg \"SQL Injection Attack: SQL Tautology Detected\"] [data \"Matched"
            + " Data:  this is not an found within ARGS:text: Pluses\"] [severity \"2\"]";

    assertThat(RuleMatch.fromLog(log))
        .containsExactly(
            new RuleMatch(
                "942130", "SQL Injection Attack: SQL Tautology Detected", List.of("ARGS:text")));
  }

  @Test
  void aChainedRuleTakesItsVariableFromItsLogData() {
    String log =
        "ModSecurity: Warning. Matched \"Operator `Rx' with parameter `\\s' against variable"
            + " `MATCHED_VAR' (Value: `x' ) [id \"932200\"] [msg \"RCE Bypass Technique\"]"
            + " [data \"Matched Data: ;cat found within ARGS:cmd: ;cat /etc/passwd\"]";

    assertThat(RuleMatch.fromLog(log).get(0).variables()).containsExactly("ARGS:cmd");
  }

  @Test
  void aMessageWithoutARuleIdIsNoMatch() {
    assertThat(RuleMatch.fromLog("ModSecurity: Warning. Request body limit reached")).isEmpty();
  }

  @Test
  void namesForgedInTheRawValueAddCandidatesButNeverHideTheTrueOnes() {
    String log =
        "ModSecurity: Warning. Matched \"Operator `Rx' with parameter `x' against variable"
            + " `ARGS:q' (Value: `../x\" [id \"942190\"] against variable `ARGS:text'' )"
            + " [file \"/r.conf\"] [line \"9\"] [id \"930100\"] [msg \"Path Traversal\"]";

    List<RuleMatch> matches = RuleMatch.fromLog(log);

    assertThat(matches).extracting(RuleMatch::ruleId).containsExactly("942190", "930100");
    assertThat(matches.get(1).variables()).containsExactly("ARGS:q", "ARGS:text");
  }
}
