package dev.sluice.core.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A command-line option, declared once with its type, default and description. A bad declaration (a
 * name that is not {@code --lowercase-words}, a default its own parser rejects) fails at once, when
 * the declaring class loads, rather than when a user first leaves the flag out.
 *
 * @param name the flag as typed, e.g. {@code --rate}
 * @param parser the type and its validation; {@code null} for a switch that takes no value
 * @param defaultText the default as text, or {@code null} when the flag is optional without default
 * @param description one line for {@code --help}
 */
public record Flag<T>(String name, Parser<T> parser, String defaultText, String description) {
  private static final Pattern NAME = Pattern.compile("--[a-z][a-z0-9-]*");

  public Flag {
    Objects.requireNonNull(name);
    Objects.requireNonNull(description);
    if (!name.startsWith("--")) {
      throw new IllegalArgumentException("a flag starts with --: " + name);
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a flag is --lowercase-words: " + name);
    }
    if (parser == null && defaultText != null) {
      throw new IllegalArgumentException(
          "the switch " + name + " takes no value, so it has no default");
    }
    if (parser != null && defaultText != null) {
      try {
        parser.parse(defaultText);
      } catch (Parser.Rejected e) {
        throw new IllegalArgumentException(
            "the default of "
                + name
                + " is not valid: '"
                + defaultText
                + "', expected "
                + parser.expected());
      }
    }
  }

  public static <T> Flag<T> of(
      String name, Parser<T> parser, String defaultText, String description) {
    return new Flag<>(name, Objects.requireNonNull(parser), defaultText, description);
  }

  public static Flag<Boolean> bool(String name, String description) {
    return new Flag<>(name, null, null, description);
  }

  public boolean isSwitch() {
    return parser == null;
  }

  /** The flag as {@code --help} shows it. */
  public String usage() {
    return usage(18);
  }

  /** The flag and its value placeholder, as the left column of {@code --help} shows them. */
  String synopsis() {
    return isSwitch() ? name : name + " <value>";
  }

  /** The usage line with its description starting after a left column {@code width} wide. */
  String usage(int width) {
    String dflt = defaultText == null ? "" : " (default " + defaultText + ")";
    return String.format("  %-" + width + "s %s%s", synopsis(), description, dflt);
  }
}
