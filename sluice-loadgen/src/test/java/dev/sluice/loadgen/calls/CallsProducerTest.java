package dev.sluice.loadgen.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallsProducerTest {
  @Test
  void defaultsGenerateAMinuteAtFiftyCallsASecond() {
    CallsProducer.Options options = CallsProducer.parse(List.of());

    assertThat(options.file()).isEmpty();
    assertThat(options.perSecond()).isEqualTo(50);
    assertThat(options.count()).isEmpty();
    assertThat(options.order()).isEqualTo(CallsProducer.Order.EVENT_TIME);
    assertThat(options.callsPerHour()).isEqualTo(120);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                CallsProducer.parse(
                    List.of("--file", "/no/such/file.json", "--seed", "3", "--unknown-share", "2")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--unknown-share='2' is not valid: expected a fraction from 0 to 1"));
    assertThatThrownBy(
            () -> CallsProducer.parse(List.of("--file", "/no/such/file.json", "--seed", "3")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--file='/no/such/file.json' is not valid: no such file",
                        "--seed applies to generated calls, not to --file"));
    assertThatThrownBy(() -> CallsProducer.parse(List.of("--order", "as-given")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--order and --temp-dir apply to --file");
  }

  @Test
  void theKeyIsTheCrimeIdWhenThereIsOne() {
    assertThat(
            CallsProducer.crimeId("{\"crime_id\":\"183653763\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("183653763");
    assertThat(CallsProducer.crimeId("{\"crime_id\":7}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(CallsProducer.crimeId("garbage".getBytes(StandardCharsets.UTF_8))).isNull();
  }
}
