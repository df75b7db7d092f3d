package dev.sluice.loadgen.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensorsProducerTest {
  @Test
  void defaultsRunTheMixedScenarioForAMinute() {
    SensorsProducer.Options options = SensorsProducer.parse(List.of());
    assertThat(options.scenario()).isEqualTo(Scenario.MIXED);
    assertThat(options.perSecond()).isEqualTo(200);
    assertThat(options.durationSeconds()).isEqualTo(60);
    assertThat(options.count()).isEmpty();
    assertThat(options.seed()).isEqualTo(1);
    assertThat(options.texts()).isNull();
    assertThat(options.topic()).isEqualTo("sensor-events");
    assertThat(options.truthTopic()).isEqualTo("sensor-truth");
  }

  @Test
  void flagsAreTyped() throws Exception {
    Path texts = SensorTrafficTest.benignTextsFile();
    SensorsProducer.Options options =
        SensorsProducer.parse(
            List.of(
                "--scenario",
                "ddos",
                "--rate",
                "50",
                "--duration",
                "30",
                "--count",
                "900",
                "--seed",
                "-7",
                "--texts",
                texts.toString(),
                "--topic",
                "a",
                "--truth-topic",
                "b"));
    assertThat(options)
        .isEqualTo(
            new SensorsProducer.Options(
                Scenario.DDOS, 50, 30, java.util.OptionalLong.of(900), -7, texts, "a", "b"));
  }

  @Test
  void badFlagsAreAllReportedAtOnce() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                SensorsProducer.parse(
                    List.of("--scenario", "flood", "--rate", "0", "--duration", "x")));
    assertThat(e.problems())
        .containsExactly(
            "--scenario='flood' is not valid: expected one of normal, injection, dos, ddos, mixed",
            "--rate='0' is not valid: expected a whole number from 1 to 1000000",
            "--duration='x' is not valid: expected a whole number from 1 to 604800");
  }

  @Test
  void theTruthMayNotGoWhereTheDetectorsRead() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> SensorsProducer.parse(List.of("--truth-topic", "sensor-events")));
    assertThat(e.problems())
        .containsExactly(
            "--truth-topic must differ from --topic: the detectors must never read it");
  }

  @Test
  void aMissingTextsFileIsNamed() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> SensorsProducer.parse(List.of("--texts", "/nonexistent/texts.txt")));
    assertThat(e.problems())
        .containsExactly("--texts='/nonexistent/texts.txt' is not valid: no such file");
  }
}
