package dev.sluice.core.records;

import java.util.Locale;
import java.util.Optional;

/**
 * What text every Sluice store can hold. PostgreSQL refuses U+0000 in {@code text} columns, and an
 * unpaired UTF-16 surrogate has no UTF-8 form, so a driver either fails on it or silently writes
 * something else; Redis and Kafka take the UTF-8 the others would. A value with either would stop
 * its batch on every replay, so decoders reject it up front and quarantine says why.
 */
public final class StorableText {
  private StorableText() {}

  /**
   * Why {@code value} cannot be stored, e.g. {@code "text contains U+0000 at character 18"}, or
   * empty when it can. Characters are counted in code points from 1, as an editor shows them.
   *
   * @param field what the value is, named in the reason
   */
  public static Optional<String> problem(String field, String value) {
    int codePoints = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      codePoints++;
      if (c == '\0') {
        return Optional.of(field + " contains U+0000 at character " + codePoints);
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            field
                + " contains an unpaired surrogate U+"
                + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                + " at character "
                + codePoints);
      }
    }
    return Optional.empty();
  }

  /** Whether every store can hold {@code value}. */
  public static boolean storable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code value} with every character no store can hold replaced by U+FFFD, for text that quotes
   * input, such as a quarantine reason.
   */
  public static String replaceUnstorable(String value) {
    if (storable(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else if (c == '\0' || Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * {@code text} cut to at most {@code maxChars} chars followed by "...", for a message that quotes
   * input. A cut never falls inside a surrogate pair, so a quote of storable text is storable.
   */
  public static String abbreviate(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end =
        maxChars > 0 && Character.isHighSurrogate(text.charAt(maxChars - 1))
            ? maxChars - 1
            : maxChars;
    return text.substring(0, end) + "...";
  }
}
