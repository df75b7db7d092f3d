package dev.sluice.core.config;

import java.util.Objects;

/**
 * One configuration value, declared once with its environment variable, type, default and
 * description, so the documentation and the error messages come from the same place.
 *
 * @param env the environment variable that sets it
 * @param parser the type and its validation
 * @param defaultText the default as text, parsed like a user's value; {@code null} means "not
 *     configured" (for example: start the embedded counterpart instead)
 * @param description one line for {@code --help} and the README
 * @param secret whether the value is a password or token, never to be printed
 */
public record Setting<T>(
    String env, Parser<T> parser, String defaultText, String description, boolean secret) {

  public Setting {
    Objects.requireNonNull(env);
    Objects.requireNonNull(parser);
    Objects.requireNonNull(description);
  }

  public static <T> Setting<T> of(
      String env, Parser<T> parser, String defaultText, String description) {
    return new Setting<>(env, parser, defaultText, description, false);
  }

  public static Setting<Secret> secret(String env, String description) {
    return new Setting<>(env, Parser.secret("a non-empty secret"), null, description, true);
  }
}
