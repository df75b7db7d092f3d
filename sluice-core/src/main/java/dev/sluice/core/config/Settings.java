package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link Setting}s from an environment, collecting every bad value before failing, so a user
 * fixes all of them in one go. Use: read each setting, then call {@link #validate()}.
 */
public final class Settings {
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  public Settings(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The value, or its default; {@code null} (recorded as a problem) when the value is bad. */
  public <T> T get(Setting<T> setting) {
    return optional(setting).orElse(null);
  }

  /** The value, its default, or empty when neither is set. */
  public <T> Optional<T> optional(Setting<T> setting) {
    String given = env.get(setting.env());
    String text = given == null || given.isEmpty() ? setting.defaultText() : given;
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(setting.parser().parse(text));
    } catch (Parser.Rejected e) {
      problems.add(
          describe(
              setting.env(),
              setting.secret() ? "(hidden)" : setting.parser().display(text),
              setting.parser(),
              e.reason()));
      return Optional.empty();
    }
  }

  public void problem(String line) {
    problems.add(line);
  }

  public void validate() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  static String describe(String name, String value, Parser<?> parser) {
    return describe(name, value, parser, null);
  }

  /** One line for a bad value: what was expected, and why this one is not it when that is known. */
  static String describe(String name, String value, Parser<?> parser, String reason) {
    return name
        + "='"
        + value
        + "' is not valid: "
        + (reason == null ? "" : reason + "; ")
        + "expected "
        + parser.expected();
  }
}
