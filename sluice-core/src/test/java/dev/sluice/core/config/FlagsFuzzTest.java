package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Whatever a user types, a command either gets typed values or one ConfigException saying why. */
class FlagsFuzzTest {
  private static final Flag<Integer> RATE =
      Flag.of("--rate", Parser.intBetween(0, 100_000), "2000", "records per second");
  private static final Flag<Long> COUNT =
      Flag.of("--count", Parser.longAtLeast(1), null, "stop after N records");
  private static final Flag<Path> FILE = Flag.of("--file", Parser.path(), null, "a reviews file");
  private static final Flag<String> CLASSIFIER =
      Flag.of("--classifier", Parser.matching("lr or rf", "lr|rf"), "lr", "the model");
  private static final Flag<Boolean> CV = Flag.of("--cv", Parser.bool(), "false", "cross-validate");
  private static final Flag<Secret> TOKEN =
      Flag.of("--token", Parser.secret("a token"), null, "the API token");
  private static final Flag<Boolean> ALL = Flag.bool("--all", "every review");
  private static final List<Flag<?>> DECLARED = List.of(RATE, COUNT, FILE, CLASSIFIER, CV, TOKEN);
  private static final int MAX_ARGS = 16;

  @FuzzTest
  @DictionaryEntries({
    "--rate",
    "--count",
    "--file",
    "--classifier",
    "--cv",
    "--token",
    "--all",
    "--help",
    "-h",
    "--",
    "=",
    "-5",
    "lr",
    "true"
  })
  void parsesToTypedValuesOrReportsEveryProblemInOneConfigException(FuzzedDataProvider data) {
    List<String> args = new ArrayList<>();
    while (data.remainingBytes() > 0 && args.size() < MAX_ARGS) {
      args.add(data.consumeString(40));
    }
    List<Flag<?>> declared = new ArrayList<>(DECLARED);
    declared.add(ALL);

    Flags flags;
    try {
      flags = Flags.parse(args, declared);
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem).isNotBlank());
      return;
    }
    if (flags.helpRequested()) {
      assertThatThrownBy(flags::positional).isInstanceOf(ConfigException.class);
      return;
    }
    for (Flag<?> flag : DECLARED) {
      if (flags.given(flag) || flag.defaultText() != null) {
        assertThat(flags.optional(flag)).as(flag.name()).isPresent();
      }
    }
    assertThat(flags.isSet(ALL)).isEqualTo(flags.given(ALL));
    assertThat(args).containsAll(flags.positional());
  }
}
