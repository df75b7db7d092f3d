package dev.sluice.bench.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.detect.eval.Corpus;
import dev.sluice.detect.eval.Delivery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityEvaluationTest {
  @TempDir Path dir;

  private final SluiceConfig config = SluiceConfig.from(Map.of());

  @Test
  void attacksAndBenignFilesBecomeCorporaInTheOrderGiven() throws Exception {
    Path mine = Files.writeString(dir.resolve("mine.txt"), "' or 1=1--\n\nadmin'--\n");
    Path ours = Files.writeString(dir.resolve("ours.txt"), "a fine film\n");
    List<Corpus> corpora =
        SecurityEvaluation.corpora(
            List.of("--attacks", mine.toString(), "--class", "sqli", "--benign", ours.toString()),
            config);
    assertThat(corpora)
        .containsExactly(
            new Corpus(
                "mine.txt", "sqli", Delivery.QUERY_PARAMETER, List.of("' or 1=1--", "admin'--")),
            new Corpus("ours.txt", null, Delivery.FORM_BODY, List.of("a fine film")));
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(
            () ->
                SecurityEvaluation.corpora(
                    List.of(
                        "--attacks",
                        dir.resolve("none.txt").toString(),
                        "--class",
                        "SQL Injection",
                        "--verbose"),
                    config))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactly(
                        "--class 'SQL Injection' is not a class name such as sqli or xss",
                        dir.resolve("none.txt") + " is not a readable file",
                        "unknown option '--verbose': expected --attacks FILE --class CLASS or"
                            + " --benign FILE, each repeatable"));
  }

  @Test
  void anAttackListNeedsItsClass() {
    assertThatThrownBy(() -> SecurityEvaluation.corpora(List.of("--attacks", "x.txt"), config))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--attacks FILE must be followed by --class CLASS");
  }

  @Test
  void eachEventHasASourceAddressOfItsOwn() {
    assertThat(SecurityEvaluation.source(0)).isEqualTo("10.0.0.0");
    assertThat(SecurityEvaluation.source(70_000)).isEqualTo("10.1.17.112");
    assertThat(SecurityEvaluation.source(70_001)).isNotEqualTo(SecurityEvaluation.source(70_000));
  }

  @Test
  void theFloodClassesJoinTheInjectionClassesInTheJsonLine() {
    assertThat(
            SecurityEvaluation.withFloods(
                "{\"classes\":{\"sqli\":{\"recall\":0.4}},\"benign_fp_rate\":0.0,\"benign_events\":7}",
                new java.util.LinkedHashMap<>(Map.of("dos", "{\"recall\":1.0}"))))
        .isEqualTo(
            "{\"classes\":{\"sqli\":{\"recall\":0.4},\"dos\":{\"recall\":1.0}},\"benign_fp_rate\":0.0,\"benign_events\":7}");
  }
}
