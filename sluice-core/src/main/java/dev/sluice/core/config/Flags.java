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
 * value and bad value is reported, one line each, in a single {@link ConfigException}.
 */
public final class Flags {
  private final Map<String, Object> values;
  private final Set<String> given;
  private final List<String> positional;

  private Flags(Map<String, Object> values, Set<String> given, List<String> positional) {
    this.values = values;
    this.given = given;
    this.positional = positional;
  }

  public static Flags parse(List<String> args, List<Flag<?>> declared) {
    Map<String, Flag<?>> byName = new HashMap<>();
    declared.forEach(f -> byName.put(f.name(), f));
    Map<String, Object> values = new HashMap<>();
    Set<String> given = new HashSet<>();
    List<String> positional = new ArrayList<>();
    List<String> problems = new ArrayList<>();

    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
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
      Flag<?> flag = byName.get(name);
      if (flag == null) {
        problems.add("unknown option " + name + (declared.isEmpty() ? ": this command takes none" : ": expected one of " + names(declared)));
        continue;
      }
      given.add(name);
      if (flag.isSwitch()) {
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
          continue;
        }
        text = args.get(++i);
      }
      try {
        values.put(name, flag.parser().parse(text));
      } catch (Parser.Rejected e) {
        problems.add(Settings.describe(name, text, flag.parser()));
      }
    }
    for (Flag<?> flag : declared) {
      if (!values.containsKey(flag.name()) && !flag.isSwitch() && flag.defaultText() != null && !given.contains(flag.name())) {
        values.put(flag.name(), flag.parser().parse(flag.defaultText()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Flags(values, given, List.copyOf(positional));
  }

  private static String names(List<Flag<?>> declared) {
    return String.join(", ", declared.stream().map(Flag::name).toList());
  }

  /** The flag's value, or its default. Fails for an optional flag without default that was not given. */
  public <T> T get(Flag<T> flag) {
    return optional(flag).orElseThrow(() -> new IllegalStateException(flag.name() + " has no value and no default"));
  }

  @SuppressWarnings("unchecked")
  public <T> Optional<T> optional(Flag<T> flag) {
    return Optional.ofNullable((T) values.get(flag.name()));
  }

  public boolean isSet(Flag<Boolean> flag) {
    return Boolean.TRUE.equals(values.get(flag.name()));
  }

  public boolean given(Flag<?> flag) {
    return given.contains(flag.name());
  }

  public List<String> positional() {
    return positional;
  }
}
