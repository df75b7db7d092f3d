package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Flag<Integer> RATE =
      Flag.of("--rate", Parser.intBetween(1, 1000), "10", "reviews per second");
  private static final Flag<String> NAME =
      Flag.of("--name", Parser.nonBlank("a name"), null, "dataset name");
  private static final Flag<Long> LIMIT =
      Flag.of("--limit", Parser.longAtLeast(0), "0", "stop after N");
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
    assertThatThrownBy(() -> flags.get(NAME))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--name");
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
    assertThat(rejected("--verbose=yes").problems())
        .singleElement()
        .asString()
        .contains("--verbose")
        .contains("yes");
  }

  @Test
  void unknownFlagIsReportedWithTheKnownOnes() {
    ConfigException e = rejected("--rat", "5");
    assertThat(e.problems())
        .singleElement()
        .asString()
        .contains("--rat")
        .contains("--rate")
        .contains("--verbose");
  }

  @Test
  void missingValueIsReported() {
    assertThat(rejected("--rate").problems())
        .singleElement()
        .asString()
        .contains("--rate")
        .contains("value");
    // The next argument is a flag, not the value.
    assertThat(rejected("--name", "--verbose").problems())
        .singleElement()
        .asString()
        .contains("--name")
        .contains("value");
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
    assertThat(rejected("--rate=0").problems())
        .singleElement()
        .asString()
        .contains("--rate")
        .contains("'0'");
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
        catchThrowableOfType(
            ConfigException.class, () -> Flags.parse(List.of("--rate", "1"), List.of()));
    assertThat(e).isNotNull();
    assertThat(e.problems().get(0)).contains("--rate");
  }

  @Test
  void usageShowsNameDescriptionAndDefault() {
    assertThat(RATE.usage()).contains("--rate").contains("reviews per second").contains("10");
    assertThat(VERBOSE.usage()).contains("--verbose").contains("print more");
    assertThatThrownBy(() -> Flag.bool("rate", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyKindOfProblemHasItsExactLine() {
    assertThat(
            rejected("--rate", "abc", "--limit", "-1", "--speed", "3", "--verbose=yes", "--name")
                .problems())
        .containsExactly(
            "--rate='abc' is not valid: expected a whole number from 1 to 1000",
            "--limit='-1' is not valid: expected a whole number of at least 0",
            "unknown option --speed: expected one of --rate, --name, --limit, --verbose",
            "--verbose takes no value, got 'yes'",
            "--name needs a value: expected a name");
    assertThat(
            catchThrowableOfType(
                    ConfigException.class, () -> Flags.parse(List.of("--rate"), List.of()))
                .problems())
        .containsExactly("unknown option --rate: this command takes none");
  }

  @Test
  void aValueMayStartWithOneDashOrHoldSpaces() {
    Flag<Path> file = Flag.of("--file", Parser.path(), null, "input");
    Flag<Long> offset =
        Flag.of("--offset", Parser.of("a whole number", Long::parseLong), "0", "where to start");
    Flags flags =
        Flags.parse(List.of("--offset", "-5", "--file", "a b.jsonl"), List.of(file, offset));
    assertThat(flags.get(offset)).isEqualTo(-5L);
    assertThat(flags.get(file)).isEqualTo(Path.of("a b.jsonl"));
    // Range checks still apply to negative values.
    assertThat(rejected("--limit", "-5").problems())
        .containsExactly("--limit='-5' is not valid: expected a whole number of at least 0");
  }

  @Test
  void aRepeatedFlagIsAnError() {
    assertThat(rejected("--rate", "1", "--rate", "2").problems())
        .containsExactly("--rate is given more than once");
    assertThat(rejected("--verbose", "--verbose").problems())
        .containsExactly("--verbose is given more than once");
    assertThat(rejected("--rate", "x", "--rate=x").problems())
        .containsExactly(
            "--rate='x' is not valid: expected a whole number from 1 to 1000",
            "--rate is given more than once",
            "--rate='x' is not valid: expected a whole number from 1 to 1000");
  }

  @Test
  void doubleDashEndsTheFlags() {
    Flags flags = parse("--verbose", "--", "--rate", "5", "--help", "-h", "--");
    assertThat(flags.positional()).containsExactly("--rate", "5", "--help", "-h", "--");
    assertThat(flags.helpRequested()).isFalse();
    assertThat(flags.get(RATE)).isEqualTo(10);
    assertThat(flags.given(RATE)).isFalse();
    assertThat(flags.isSet(VERBOSE)).isTrue();
  }

  @Test
  void helpIsRecognisedAnywhereAndSkipsValidation() {
    assertThat(parse("--help").helpRequested()).isTrue();
    assertThat(parse("-h").helpRequested()).isTrue();
    assertThat(parse("reviews", "--name", "-h").helpRequested())
        .as("-h is help, not a value")
        .isTrue();
    Flags named = parse("reviews", "--name=-h");
    assertThat(named.helpRequested()).isFalse();
    assertThat(named.get(NAME)).isEqualTo("-h");
    assertThat(named.positional()).containsExactly("reviews");
  }

  @Test
  void helpNextToBadFlagsIsNotAnError() {
    assertThat(parse("--rate", "abc", "--nope", "--verbose=1", "--help").helpRequested()).isTrue();
    assertThat(parse("--rate", "-h").helpRequested()).as("-h is help, not a value").isTrue();
    assertThat(Flags.parse(List.of("--help"), List.of()).helpRequested()).isTrue();
    assertThat(parse("--rate", "5", "x").helpRequested()).isFalse();
  }

  @Test
  void aCommandThatIgnoresHelpDoesNotRunWithDefaults() {
    Flags flags = parse("--rate", "5", "--help");
    String expected =
        "--help: this command prints no usage text; its options are --rate, --name, --limit, --verbose";
    assertThat(catchThrowableOfType(ConfigException.class, () -> flags.get(RATE)).problems())
        .containsExactly(expected);
    assertThat(catchThrowableOfType(ConfigException.class, () -> flags.optional(NAME)).problems())
        .containsExactly(expected);
    assertThat(catchThrowableOfType(ConfigException.class, () -> flags.isSet(VERBOSE)).problems())
        .containsExactly(expected);
    assertThat(catchThrowableOfType(ConfigException.class, () -> flags.given(RATE)).problems())
        .containsExactly(expected);
    assertThat(catchThrowableOfType(ConfigException.class, flags::positional).problems())
        .containsExactly(expected);
    Flags none = Flags.parse(List.of("-h"), List.of());
    assertThat(catchThrowableOfType(ConfigException.class, none::positional).problems())
        .containsExactly("--help: this command prints no usage text; it takes no options");
  }

  @Test
  void usageListsEveryFlagAlignedWithItsDefault() {
    String n = System.lineSeparator();
    assertThat(Flags.usage("sluice test", DECLARED))
        .isEqualTo(
            "usage: sluice test [options]"
                + n
                + "  --rate <value>  reviews per second (default 10)"
                + n
                + "  --name <value>  dataset name"
                + n
                + "  --limit <value> stop after N (default 0)"
                + n
                + "  --verbose       print more"
                + n
                + "  -h, --help      print this text and exit"
                + n);
    assertThat(Flags.usage("sluice dataset [imdb]", List.of()))
        .isEqualTo(
            "usage: sluice dataset [imdb]" + n + "  -h, --help print this text and exit" + n);
  }

  @Test
  void badDeclarationsFailAtOnce() {
    assertThatThrownBy(() -> Flag.of("--n", Parser.longAtLeast(1), "0", "bad default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--n")
        .hasMessageContaining("'0'");
    assertThatThrownBy(() -> Flag.bool("-x", "short")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Flag.bool("--Rate", "capital"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Flag.bool("--", "empty")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Flag<Boolean>("--x", null, "yes", "a switch with a default"))
        .isInstanceOf(IllegalArgumentException.class);
    List<Flag<?>> twice = List.of(RATE, VERBOSE, Flag.bool("--rate", "again"));
    assertThatThrownBy(() -> Flags.parse(List.of(), twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rate");
    assertThatThrownBy(() -> Flags.usage("x", twice)).isInstanceOf(IllegalArgumentException.class);
    List<Flag<?>> ownHelp = List.of(Flag.bool("--help", "mine"));
    assertThatThrownBy(() -> Flags.parse(List.of(), ownHelp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--help");
  }
}
