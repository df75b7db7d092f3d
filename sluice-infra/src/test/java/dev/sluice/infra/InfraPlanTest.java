package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraPlanTest {
  @Test
  void defaultsStartBothOnLoopbackWithTheDemoPorts() {
    InfraPlan plan = InfraPlan.from(SluiceConfig.from(Map.of("SLUICE_HOME", "/tmp/sluice-home")));

    assertThat(plan.startsKafka()).isTrue();
    assertThat(plan.startsPostgres()).isTrue();
    assertThat(plan.controllerPort()).isEqualTo(19093);
    assertThat(plan.readyLines())
        .containsExactly(
            "SLUICE_KAFKA=127.0.0.1:19092",
            "SLUICE_DB_URL=jdbc:postgresql://127.0.0.1:15432/sluice",
            "SLUICE_DB_USER=sluice");
  }

  @Test
  void externalSystemsAreAnnouncedAndNotStarted() {
    InfraPlan plan =
        InfraPlan.from(
            SluiceConfig.from(
                Map.of(
                    "SLUICE_KAFKA", "kafka.example:9092",
                    "SLUICE_DB_URL", "jdbc:postgresql://db.example:5432/analytics",
                    "SLUICE_DB_USER", "analyst",
                    // Would clash with the embedded broker, which is not started.
                    "SLUICE_EMBEDDED_POSTGRES_PORT", "19093")));

    assertThat(plan.startsKafka()).isFalse();
    assertThat(plan.startsPostgres()).isFalse();
    assertThat(plan.readyLines())
        .containsExactly(
            "SLUICE_KAFKA=kafka.example:9092",
            "SLUICE_DB_URL=jdbc:postgresql://db.example:5432/analytics",
            "SLUICE_DB_USER=analyst");
  }

  @Test
  void theControllerNeedsThePortAfterTheBrokers() {
    assertThatThrownBy(
            () -> InfraPlan.from(SluiceConfig.from(Map.of("SLUICE_EMBEDDED_KAFKA_PORT", "65535"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SLUICE_EMBEDDED_KAFKA_PORT='65535' is not valid");
  }

  @Test
  void postgresMayNotTakeAKafkaPort() {
    assertThatThrownBy(
            () ->
                InfraPlan.from(
                    SluiceConfig.from(
                        Map.of(
                            "SLUICE_EMBEDDED_KAFKA_PORT",
                            "20000",
                            "SLUICE_EMBEDDED_POSTGRES_PORT",
                            "20001"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SLUICE_EMBEDDED_POSTGRES_PORT='20001' is not valid");
  }
}
