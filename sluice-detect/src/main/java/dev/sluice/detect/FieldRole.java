package dev.sluice.detect;

import java.util.Set;

/**
 * What a field is for, which decides what is inspected in it and which rules may raise a finding. A
 * query parameter is where injection is expected and anything code-like is suspicious; free text (a
 * review, a message, a comment posted as a form field) is written by people, who quote, use
 * parentheses, apostrophes and words like "select" or "union" all the time.
 */
public enum FieldRole {
  /** A query parameter: libinjection SQLi and XSS, and every paranoia-level-1 attack rule. */
  PARAMETER(true, true, Set.of()),
  /** The path without its query: the attack rules, mostly traversal and file inclusion. */
  PATH(false, false, Set.of()),
  /** A request header: libinjection and the attack rules, as for parameters. */
  HEADER(true, true, Set.of()),
  /**
   * Free text, as a form field or a payload: libinjection's XSS test and the attack rules except
   * those that fire on ordinary prose. The exclusions are the paranoia-level-1 rules that matched
   * any of 10,000 IMDB reviews (reviews 3,001 to 13,000; the evaluation reports on the first 3,000,
   * which were not used to choose): command injection 932100, 932105, 932110, 932115, 932130 and
   * PHP 933160, 933210 (English words after punctuation and words before parentheses look like
   * commands and calls), XSS 941180 and 941310, and SQL injection 942100 (libinjection through the
   * rule set), 942190, 942230, 942360 (apostrophes, quotes and words such as "union", "case" or
   * "and" in sentences look like SQL strings and keywords). One more, 942350, was found by a review
   * written for the tests ("watch it; delete the sequel"): a semicolon before an SQL verb that is
   * also an English verb reads as a stacked query. libinjection's SQLi test is not run on free text
   * for the reason 942100 is excluded.
   */
  FREE_TEXT(
      false,
      true,
      Set.of(
          "932100", "932105", "932110", "932115", "932130", "933160", "933210", "941180", "941310",
          "942100", "942190", "942230", "942350", "942360"));

  private final boolean sqli;
  private final boolean xss;
  private final Set<String> excludedRules;

  FieldRole(boolean sqli, boolean xss, Set<String> excludedRules) {
    this.sqli = sqli;
    this.xss = xss;
    this.excludedRules = excludedRules;
  }

  /** Whether libinjection's SQL injection test runs on fields of this role. */
  public boolean libinjectionSqli() {
    return sqli;
  }

  /** Whether libinjection's XSS test runs on fields of this role. */
  public boolean libinjectionXss() {
    return xss;
  }

  /** Whether a match of CRS rule {@code ruleId} in a field of this role is a finding. */
  public boolean acceptsRule(String ruleId) {
    return !excludedRules.contains(ruleId);
  }
}
