package dev.sluice.core.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the text of an environment variable or flag into a typed value, or rejects it with what is
 * expected. The {@link #expected()} text is what users read in error messages and in {@code
 * --help}.
 */
public interface Parser<T> {

  T parse(String text);

  String expected();

  /**
   * How a value this parser rejected is shown in the error message; the text itself unless it may
   * hold a secret (a password pasted into a URL).
   */
  default String display(String text) {
    return text;
  }

  /**
   * Thrown by {@link #parse} with the expected form in {@link Parser#expected()}, and, when the
   * text alone does not show what is wrong (a file's content), the reason.
   */
  final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public Rejected() {
      this(null);
    }

    /**
     * @param reason what is wrong beyond the expected form, e.g. {@code "no such file"}; {@code
     *     null} for none
     */
    public Rejected(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }

    /** What is wrong beyond the expected form, or {@code null}. */
    public String reason() {
      return reason;
    }
  }

  static <T> Parser<T> of(String expected, java.util.function.Function<String, T> parse) {
    return new Parser<>() {
      @Override
      public T parse(String text) {
        try {
          T value = parse.apply(text.strip());
          if (value == null) {
            throw new Rejected();
          }
          return value;
        } catch (Rejected e) {
          throw e;
        } catch (RuntimeException e) {
          throw new Rejected();
        }
      }

      @Override
      public String expected() {
        return expected;
      }
    };
  }

  static Parser<Integer> intBetween(int min, int max) {
    String expected =
        max == Integer.MAX_VALUE
            ? "a whole number of at least " + min
            : "a whole number from " + min + " to " + max;
    return of(
        expected,
        text -> {
          int value = Integer.parseInt(text);
          return value >= min && value <= max ? value : null;
        });
  }

  static Parser<Long> longAtLeast(long min) {
    return of(
        "a whole number of at least " + min,
        text -> {
          long value = Long.parseLong(text);
          return value >= min ? value : null;
        });
  }

  static Parser<Integer> port() {
    return intBetween(1, 65535);
  }

  static Parser<String> nonBlank(String expected) {
    return of(expected, text -> text.isBlank() ? null : text);
  }

  static Parser<String> matching(String expected, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return of(expected, text -> pattern.matcher(text).matches() ? text : null);
  }

  static Parser<Path> path() {
    return of("a file system path", text -> text.isEmpty() ? null : Path.of(text));
  }

  static Parser<Secret> secret(String expected) {
    // Secrets keep their exact characters: strip() above only removes surrounding white space.
    return of(expected, text -> text.isEmpty() ? null : new Secret(text));
  }

  static Parser<Boolean> bool() {
    return of(
        "true or false",
        text ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true", "yes", "1" -> Boolean.TRUE;
              case "false", "no", "0" -> Boolean.FALSE;
              default -> null;
            });
  }
}
