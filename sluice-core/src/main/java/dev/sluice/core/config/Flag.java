package dev.sluice.core.config;

import java.util.Objects;

/**
 * A command-line option, declared once with its type, default and description.
 *
 * @param name the flag as typed, e.g. {@code --rate}
 * @param parser the type and its validation; {@code null} for a switch that takes no value
 * @param defaultText the default as text, or {@code null} when the flag is optional without default
 * @param description one line for {@code --help}
 */
public record Flag<T>(String name, Parser<T> parser, String defaultText, String description) {

  public Flag {
    Objects.requireNonNull(name);
    Objects.requireNonNull(description);
    if (!name.startsWith("--")) {
      throw new IllegalArgumentException("a flag starts with --: " + name);
    }
  }

  public static <T> Flag<T> of(String name, Parser<T> parser, String defaultText, String description) {
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
    String value = isSwitch() ? "" : " N";
    String dflt = defaultText == null ? "" : " (default " + defaultText + ")";
    return String.format("  %-16s %s%s", name + value, description, dflt);
  }
}
