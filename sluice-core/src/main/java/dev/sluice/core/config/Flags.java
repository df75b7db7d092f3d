package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line arguments: typed flags plus positional arguments. Every unknown flag, missing
 * value, bad value and repeated flag is reported, one line each, in a single {@link
 * ConfigException}, so a user fixes all of them in one go.
 *
 * <pre>{@code
 * static final Flag<Integer> RATE = Flag.of("--rate", Parser.intBetween(0, 100_000), "2000", "reviews per second");
 * static final List<Flag<?>> FLAGS = List.of(RATE);
 *
 * Flags flags = Flags.parse(List.of(args), FLAGS);
 * if (flags.helpRequested()) {
 *   System.out.print(Flags.usage("sluice produce reviews", FLAGS));
 *   return 0;
 * }
 * int perSecond = flags.get(RATE);
 * }</pre>
 *
 * <p>Values are given as {@code --name value} or {@code --name=value}; a value may start with a
 * single dash ({@code --offset -5}). {@code --} ends the flags: everything after it is positional.
 *
 * <p>{@code --help} or {@code -h} anywhere before {@code --} asks for the usage text (so {@code
 * --name -h} is help, while {@code --name=-h} sets the value): {@link #parse} then reports no
 * problems, so help works even next to a bad flag. A command that does not check {@link
 * #helpRequested()} must not run with made-up values, so then every accessor throws a {@link
 * ConfigException} naming the command's options.
 */
public final class Flags {
  static final String HELP = "--help";
  static final String HELP_SHORT = "-h";
  private static final String END_OF_FLAGS = "--";

  private final Map<String, Object> values;
  private final Set<String> given;
  private final List<String> positional;
  private final boolean helpRequested;
  private final List<Flag<?>> declared;

  private Flags(
      Map<String, Object> values,
      Set<String> given,
      List<String> positional,
      boolean helpRequested,
      List<Flag<?>> declared) {
    this.values = Map.copyOf(values);
    this.given = Set.copyOf(given);
    this.positional = List.copyOf(positional);
    this.helpRequested = helpRequested;
    this.declared = List.copyOf(declared);
  }

  /**
   * Parses {@code args} against the declared flags.
   *
   * @throws ConfigException listing every problem, one line each (never when help is asked for)
   * @throws IllegalArgumentException when two declared flags share a name, or one is {@code --help}
   */
  public static Flags parse(List<String> args, List<Flag<?>> declared) {
    Map<String, Flag<?>> byName = byName(declared);
    Map<String, Object> values = new HashMap<>();
    Set<String> given = new HashSet<>();
    List<String> positional = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean help = false;
    boolean flagsEnded = false;

    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (flagsEnded) {
        positional.add(arg);
        continue;
      }
      if (arg.equals(END_OF_FLAGS)) {
        flagsEnded = true;
        continue;
      }
      if (arg.equals(HELP_SHORT)) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      if (name.equals(HELP)) {
        help = true;
        continue;
      }
      Flag<?> flag = byName.get(name);
      if (flag == null) {
        problems.add(
            "unknown option "
                + name
                + (declared.isEmpty()
                    ? ": this command takes none"
                    : ": expected one of " + names(declared)));
        continue;
      }
      if (!given.add(name)) {
        problems.add(name + " is given more than once");
      }
      if (flag.isSwitch()) {
        if (inline != null) {
          problems.add(name + " takes no value, got '" + inline + "'");
        }
        values.put(name, Boolean.TRUE);
        continue;
      }
      String text = inline;
      if (text == null) {
        if (i + 1 >= args.size()
            || args.get(i + 1).startsWith("--")
            || args.get(i + 1).equals(HELP_SHORT)) {
          problems.add(name + " needs a value: expected " + flag.parser().expected());
          continue;
        }
        text = args.get(++i);
      }
      try {
        values.put(name, flag.parser().parse(text));
      } catch (Parser.Rejected e) {
        problems.add(Settings.describe(name, text, flag.parser(), e.reason()));
      }
    }
    if (help) {
      return new Flags(Map.of(), Set.of(), List.of(), true, declared);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    for (Flag<?> flag : declared) {
      if (!flag.isSwitch() && flag.defaultText() != null && !given.contains(flag.name())) {
        values.put(flag.name(), flag.parser().parse(flag.defaultText()));
      }
    }
    return new Flags(values, given, positional, false, declared);
  }

  /**
   * The help text: the synopsis, then one line per flag with its description and default, then
   * {@code --help} itself.
   *
   * @param synopsis the command as users type it, e.g. {@code sluice produce reviews}
   */
  public static String usage(String synopsis, List<Flag<?>> flags) {
    byName(flags);
    String helpSynopsis = HELP_SHORT + ", " + HELP;
    int width = helpSynopsis.length();
    for (Flag<?> flag : flags) {
      width = Math.max(width, flag.synopsis().length());
    }
    String newline = System.lineSeparator();
    StringBuilder text = new StringBuilder("usage: ").append(synopsis);
    if (!flags.isEmpty()) {
      text.append(" [options]");
    }
    text.append(newline);
    for (Flag<?> flag : flags) {
      text.append(flag.usage(width)).append(newline);
    }
    text.append(String.format("  %-" + width + "s %s", helpSynopsis, "print this text and exit"))
        .append(newline);
    return text.toString();
  }

  private static Map<String, Flag<?>> byName(List<Flag<?>> declared) {
    Map<String, Flag<?>> byName = new HashMap<>();
    for (Flag<?> flag : declared) {
      if (flag.name().equals(HELP)) {
        throw new IllegalArgumentException(HELP + " is built in and cannot be declared");
      }
      if (byName.putIfAbsent(flag.name(), flag) != null) {
        throw new IllegalArgumentException("flag declared twice: " + flag.name());
      }
    }
    return byName;
  }

  private static String names(List<Flag<?>> declared) {
    return String.join(", ", declared.stream().map(Flag::name).toList());
  }

  /** Whether {@code --help} or {@code -h} was given: print {@link #usage} instead of running. */
  public boolean helpRequested() {
    return helpRequested;
  }

  /**
   * The flag's value, or its default. Fails for an optional flag without default that was not
   * given.
   */
  public <T> T get(Flag<T> flag) {
    return optional(flag)
        .orElseThrow(() -> new IllegalStateException(flag.name() + " has no value and no default"));
  }

  @SuppressWarnings("unchecked")
  public <T> Optional<T> optional(Flag<T> flag) {
    requireNoHelp();
    return Optional.ofNullable((T) values.get(flag.name()));
  }

  public boolean isSet(Flag<Boolean> flag) {
    requireNoHelp();
    return Boolean.TRUE.equals(values.get(flag.name()));
  }

  public boolean given(Flag<?> flag) {
    requireNoHelp();
    return given.contains(flag.name());
  }

  public List<String> positional() {
    requireNoHelp();
    return positional;
  }

  /** Stops a command that ignores {@link #helpRequested()} from running with defaults instead. */
  private void requireNoHelp() {
    if (helpRequested) {
      throw new ConfigException(
          HELP
              + ": this command prints no usage text; "
              + (declared.isEmpty()
                  ? "it takes no options"
                  : "its options are " + names(declared)));
    }
  }
}
