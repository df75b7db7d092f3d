package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Parser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private final Flags flags = new Flags("test");
  private final Flags.Flag<Integer> rate =
      flags.value("--rate", Parser.intBetween(0, Integer.MAX_VALUE), "2000", "per second");
  private final Flags.Flag<Long> count = flags.value("--count", Parser.longAtLeast(1), null, "how many");
  private final Flags.Flag<Path> file = flags.value("--file", Parser.path(), null, "input");
  private final Flags.Flag<Boolean> all = flags.toggle("--all", "everything");

  private static List<String> problems(Runnable parse) {
    try {
      parse.run();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void defaultsApplyWhenNothingIsGiven() {
    Flags.Parsed parsed = flags.parse(List.of());
    assertThat(parsed.get(rate)).isEqualTo(2000);
    assertThat(parsed.optional(count)).isEmpty();
    assertThat(parsed.isSet(all)).isFalse();
    assertThat(parsed.positional()).isEmpty();
    assertThatThrownBy(() -> parsed.get(count)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void valuesAreTypedInBothSpellings() {
    Flags.Parsed parsed = flags.parse(List.of("reviews", "--rate", "0", "--count=1000000", "--all", "--file", "a b.jsonl"));
    assertThat(parsed.get(rate)).isZero();
    assertThat(parsed.get(count)).isEqualTo(1_000_000L);
    assertThat(parsed.isSet(all)).isTrue();
    assertThat(parsed.get(file)).isEqualTo(Path.of("a b.jsonl"));
    assertThat(parsed.positional()).containsExactly("reviews");
  }

  @Test
  void everyBadFlagIsOneClearLine() {
    assertThat(problems(() -> flags.parse(List.of("--rate", "abc", "--count", "0", "--speed", "3", "--file"))))
        .containsExactly(
            "--rate 'abc' is not valid: expected a whole number of at least 0",
            "--count '0' is not valid: expected a whole number of at least 1",
            "unknown flag --speed: test takes --rate, --count, --file, --all",
            "--file needs a value: expected a file system path");
  }

  @Test
  void negativeNumbersAreValuesNotFlags() {
    assertThat(problems(() -> flags.parse(List.of("--rate", "-5"))))
        .containsExactly("--rate '-5' is not valid: expected a whole number of at least 0");
  }

  @Test
  void repeatedFlagsAndValuesOnTogglesAreErrors() {
    assertThat(problems(() -> flags.parse(List.of("--rate", "1", "--rate", "2", "--all=yes"))))
        .containsExactly("--rate is given more than once", "--all takes no value, got 'yes'");
  }

  @Test
  void aFlagFollowedByAnotherFlagHasNoValue() {
    assertThat(problems(() -> flags.parse(List.of("--count", "--all"))))
        .containsExactly("--count needs a value: expected a whole number of at least 1");
  }

  @Test
  void doubleDashEndsTheFlags() {
    Flags.Parsed parsed = flags.parse(List.of("--", "--all"));
    assertThat(parsed.isSet(all)).isFalse();
    assertThat(parsed.positional()).containsExactly("--all");
  }

  @Test
  void helpSkipsValidationAndUsageListsEveryFlag() {
    assertThat(flags.parse(List.of("--rate", "abc", "--help")).helpRequested()).isTrue();
    assertThat(flags.usage())
        .contains("usage: test [flags]")
        .contains("--rate <value>")
        .contains("(default 2000)")
        .contains("--all ");
  }

  @Test
  void badDeclarationsFailAtOnce() {
    assertThatThrownBy(() -> flags.toggle("--all", "again")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> flags.value("--n", Parser.longAtLeast(1), "0", "bad default"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> flags.toggle("-x", "short")).isInstanceOf(IllegalArgumentException.class);
  }
}
