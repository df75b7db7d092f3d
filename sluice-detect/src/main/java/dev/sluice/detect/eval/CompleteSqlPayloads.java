package dev.sluice.detect.eval;

import dev.sluice.detect.UrlEncodedForm;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which entries of an SQL injection list are complete payloads rather than fragments. Fuzzing lists
 * such as wfuzz's {@code SQL.txt} mix payloads with pieces a fuzzer appends to other input ({@code
 * select}, {@code or}, a lone quote, {@code order by}); a detector that flagged those alone would
 * flag every text with a quote or the word "or".
 *
 * <p>The rule: after decoding {@code %XX}, {@code \xXX} and the HTML entities {@code &lt; &gt;
 * &quot; &apos; &amp;}, an entry is complete when it has at least two words (runs of letters,
 * digits, {@code _}, {@code @} and {@code .}) and at least one quote, operator or separator ({@code
 * ' " = ; ( ) | < > + - * , #}) that joins them into an expression or statement. So {@code ' or
 * 1=1--} and {@code '; exec xp_regread} are complete; {@code select}, {@code '}, {@code order by},
 * {@code exec xp}, {@code @variable} and an LDAP filter with one word such as {@code *(|(mail=*))}
 * are fragments.
 */
public final class CompleteSqlPayloads {
  private static final Pattern HEX_ESCAPE = Pattern.compile("\\\\x([0-9a-fA-F]{2})");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_@.]+");
  private static final Pattern JOINER = Pattern.compile("['\"=;()|<>+\\-*,#]");

  private CompleteSqlPayloads() {}

  public static boolean isComplete(String entry) {
    String decoded = decode(entry);
    Matcher words = WORD.matcher(decoded);
    int count = 0;
    while (words.find() && count < 2) {
      count++;
    }
    return count >= 2 && JOINER.matcher(decoded).find();
  }

  static String decode(String entry) {
    String text = UrlEncodedForm.percentDecode(entry);
    Matcher hex = HEX_ESCAPE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (hex.find()) {
      hex.appendReplacement(
          out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(hex.group(1), 16))));
    }
    hex.appendTail(out);
    return out.toString()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
  }
}
