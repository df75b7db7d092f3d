package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Flag<Integer> RATE = Flag.of("--rate", Parser.intBetween(1, 1000), "10", "reviews per second");
  private static final Flag<String> NAME = Flag.of("--name", Parser.nonBlank("a name"), null, "dataset name");
  private static final Flag<Long> LIMIT = Flag.of("--limit", Parser.longAtLeast(0), "0", "stop after N");
  private static final Flag<Boolean> VERBOSE = Flag.bool("--verbose", "print more");
  private static final List<Flag<?>> DECLARED = List.of(RATE, NAME, LIMIT, VERBOSE);

  private static Flags parse(String... args) {
    return Flags.parse(List.of(args), DECLARED);
  }

  private static ConfigException rejected(String... args) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(args));
    assertThat(e).as("ConfigException for %s", List.of(args)).isNotNull();
    return e;
  }

  @Test
  void readsValuesOfGivenFlags() {
    Flags flags = parse("--rate", "5", "--name", "imdb", "--limit", "123456789012");
    assertThat(flags.get(RATE)).isEqualTo(5);
    assertThat(flags.get(NAME)).isEqualTo("imdb");
    assertThat(flags.get(LIMIT)).isEqualTo(123_456_789_012L);
    assertThat(flags.given(RATE)).isTrue();
    assertThat(flags.isSet(VERBOSE)).isFalse();
  }

  @Test
  void defaultsApplyWhenFlagsAreAbsent() {
    Flags flags = parse();
    assertThat(flags.get(RATE)).isEqualTo(10);
    assertThat(flags.get(LIMIT)).isEqualTo(0L);
    assertThat(flags.optional(NAME)).isEmpty();
    assertThatThrownBy(() -> flags.get(NAME)).isInstanceOf(IllegalStateException.class).hasMessageContaining("--name");
    assertThat(flags.given(RATE)).isFalse();
    assertThat(flags.isSet(VERBOSE)).isFalse();
    assertThat(flags.positional()).isEmpty();
  }

  @Test
  void acceptsFlagEqualsValue() {
    Flags flags = parse("--rate=7", "--name=a=b");
    assertThat(flags.get(RATE)).isEqualTo(7);
    assertThat(flags.get(NAME)).isEqualTo("a=b");
  }

  @Test
  void switchesAreSetWhenGiven() {
    Flags flags = parse("--verbose");
    assertThat(flags.isSet(VERBOSE)).isTrue();
    assertThat(flags.given(VERBOSE)).isTrue();
  }

  @Test
  void aSwitchTakesNoValue() {
    assertThat(rejected("--verbose=yes").problems()).singleElement().asString().contains("--verbose").contains("yes");
  }

  @Test
  void unknownFlagIsReportedWithTheKnownOnes() {
    ConfigException e = rejected("--rat", "5");
    assertThat(e.problems()).singleElement().asString().contains("--rat").contains("--rate").contains("--verbose");
  }

  @Test
  void missingValueIsReported() {
    assertThat(rejected("--rate").problems()).singleElement().asString().contains("--rate").contains("value");
    // The next argument is a flag, not the value.
    assertThat(rejected("--name", "--verbose").problems()).singleElement().asString().contains("--name").contains("value");
  }

  @Test
  void badValueIsReportedWithWhatIsExpected() {
    assertThat(rejected("--rate", "fast").problems())
        .singleElement()
        .asString()
        .contains("--rate")
        .contains("fast")
        .contains("expected")
        .contains("1000");
    assertThat(rejected("--rate=0").problems()).singleElement().asString().contains("--rate").contains("'0'");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e = rejected("--nope", "--rate", "abc", "--limit=-1", "--name");
    assertThat(e.problems()).hasSize(4);
    assertThat(e.getMessage().lines()).hasSize(4);
    assertThat(e.problems().get(0)).contains("--nope");
    assertThat(e.problems().get(1)).contains("--rate").contains("abc");
    assertThat(e.problems().get(2)).contains("--limit").contains("-1");
    assertThat(e.problems().get(3)).contains("--name");
  }

  @Test
  void positionalArgumentsKeepTheirOrder() {
    Flags flags = parse("first", "--rate", "3", "second", "--verbose", "third", "-x");
    assertThat(flags.positional()).containsExactly("first", "second", "third", "-x");
    assertThat(flags.get(RATE)).isEqualTo(3);
    assertThat(flags.isSet(VERBOSE)).isTrue();
  }

  @Test
  void aCommandWithoutFlagsRejectsAnyFlag() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Flags.parse(List.of("--rate", "1"), List.of()));
    assertThat(e).isNotNull();
    assertThat(e.problems().get(0)).contains("--rate");
  }

  @Test
  void usageShowsNameDescriptionAndDefault() {
    assertThat(RATE.usage()).contains("--rate").contains("reviews per second").contains("10");
    assertThat(VERBOSE.usage()).contains("--verbose").contains("print more");
    assertThatThrownBy(() -> Flag.bool("rate", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
