package dev.sluice.loadgen;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Parser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed command-line flags of one command. Declare each flag once with its type (a sluice-core
 * {@link Parser}), default and description; {@link #parse} then reports every unknown flag, missing
 * value and bad value, one line each, in a single {@link ConfigException}, so a user fixes all of
 * them in one go.
 *
 * <pre>{@code
 * Flags flags = new Flags("produce reviews");
 * Flags.Flag<Integer> rate = flags.value("--rate", Parser.intBetween(0, Integer.MAX_VALUE), "2000", "reviews per second");
 * Flags.Flag<Boolean> all = flags.toggle("--all", "replay every review");
 * Flags.Parsed parsed = flags.parse(List.of(args));
 * int perSecond = parsed.get(rate);
 * }</pre>
 *
 * <p>Values are given as {@code --name value} or {@code --name=value}; {@code --} ends the flags.
 */
public final class Flags {
  private final String command;
  private final Map<String, Flag<?>> declared = new LinkedHashMap<>();

  /** @param command the command as users type it, for {@link #usage()} */
  public Flags(String command) {
    this.command = Objects.requireNonNull(command);
  }

  /** One declared flag; {@code parser} is {@code null} for a toggle, which takes no value. */
  public record Flag<T>(String name, Parser<T> parser, String defaultText, String description) {
    public boolean isToggle() {
      return parser == null;
    }
  }

  /**
   * Declares a flag that takes a value.
   *
   * @param defaultText the default, parsed like a user's value; {@code null} when there is none
   */
  public <T> Flag<T> value(String name, Parser<T> parser, String defaultText, String description) {
    Objects.requireNonNull(parser);
    if (defaultText != null) {
      try {
        parser.parse(defaultText);
      } catch (Parser.Rejected e) {
        throw new IllegalArgumentException("the default of " + name + " is not valid: " + defaultText);
      }
    }
    return declare(new Flag<>(name, parser, defaultText, description));
  }

  /** Declares a flag without a value: present or not. */
  public Flag<Boolean> toggle(String name, String description) {
    return declare(new Flag<>(name, null, null, description));
  }

  private <T> Flag<T> declare(Flag<T> flag) {
    if (!flag.name().matches("--[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("a flag is --lowercase-words: " + flag.name());
    }
    if (declared.putIfAbsent(flag.name(), flag) != null) {
      throw new IllegalArgumentException("flag declared twice: " + flag.name());
    }
    Objects.requireNonNull(flag.description());
    return flag;
  }

  /**
   * Parses the arguments. {@code --help} or {@code -h} anywhere asks for {@link #usage()} and skips
   * validation, so help works even next to a bad flag.
   *
   * @throws ConfigException listing every problem, one line each
   */
  public Parsed parse(List<String> args) {
    if (args.contains("--help") || args.contains("-h")) {
      return new Parsed(Map.of(), List.of(), true);
    }
    Map<String, Object> values = new HashMap<>();
    List<String> positional = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean flagsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (flagsEnded || !arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        flagsEnded = true;
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      String inline = equals < 0 ? null : arg.substring(equals + 1);
      Flag<?> flag = declared.get(name);
      if (flag == null) {
        problems.add(
            "unknown flag " + name + ": " + command
                + (declared.isEmpty() ? " takes no flags" : " takes " + String.join(", ", declared.keySet())));
        continue;
      }
      if (values.containsKey(name)) {
        problems.add(name + " is given more than once");
      }
      if (flag.isToggle()) {
        if (inline != null) {
          problems.add(name + " takes no value, got '" + inline + "'");
        }
        values.put(name, Boolean.TRUE);
        continue;
      }
      String text = inline;
      if (text == null) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          problems.add(name + " needs a value: expected " + flag.parser().expected());
          values.put(name, Missing.VALUE);
          continue;
        }
        text = args.get(++i);
      }
      try {
        values.put(name, flag.parser().parse(text));
      } catch (Parser.Rejected e) {
        problems.add(name + " '" + text + "' is not valid: expected " + flag.parser().expected());
        values.put(name, Missing.VALUE);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    for (Flag<?> flag : declared.values()) {
      if (!values.containsKey(flag.name()) && flag.defaultText() != null) {
        values.put(flag.name(), flag.parser().parse(flag.defaultText()));
      }
    }
    return new Parsed(values, positional, false);
  }

  /** Placeholder that marks a flag as seen, so a repeated bad flag is reported as repeated. */
  private enum Missing {
    VALUE
  }

  /** The help text: the command and one line per flag. */
  public String usage() {
    StringBuilder text = new StringBuilder("usage: ").append(command);
    if (!declared.isEmpty()) {
      text.append(" [flags]");
    }
    text.append(System.lineSeparator());
    for (Flag<?> flag : declared.values()) {
      String left = flag.isToggle() ? flag.name() : flag.name() + " <value>";
      text.append(String.format("  %-18s %s", left, flag.description()));
      if (flag.defaultText() != null) {
        text.append(" (default ").append(flag.defaultText()).append(')');
      }
      text.append(System.lineSeparator());
    }
    return text.toString();
  }

  /** The result of {@link #parse}: typed values, positional arguments, and whether help was asked. */
  public static final class Parsed {
    private final Map<String, Object> values;
    private final List<String> positional;
    private final boolean helpRequested;

    private Parsed(Map<String, Object> values, List<String> positional, boolean helpRequested) {
      this.values = Map.copyOf(values);
      this.positional = List.copyOf(positional);
      this.helpRequested = helpRequested;
    }

    /** The value given, or the default; fails for a flag that has neither. */
    public <T> T get(Flag<T> flag) {
      return optional(flag)
          .orElseThrow(() -> new IllegalStateException(flag.name() + " was not given and has no default"));
    }

    /** The value given, or the default, or empty. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> optional(Flag<T> flag) {
      if (flag.isToggle()) {
        return Optional.of((T) Boolean.valueOf(values.containsKey(flag.name())));
      }
      return Optional.ofNullable((T) values.get(flag.name()));
    }

    /** Whether a toggle was given. */
    public boolean isSet(Flag<Boolean> flag) {
      return values.containsKey(flag.name());
    }

    public List<String> positional() {
      return positional;
    }

    public boolean helpRequested() {
      return helpRequested;
    }
  }
}
