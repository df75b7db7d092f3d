package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InfraPlanTest {
  private static final Optional<Path> REDIS_SERVER = Optional.of(Path.of("/usr/bin/redis-server"));

  private static InfraPlan plan(Map<String, String> env) {
    return InfraPlan.from(SluiceConfig.from(env), REDIS_SERVER);
  }

  @Test
  void defaultsStartAllThreeOnLoopbackWithTheDemoPorts() {
    InfraPlan plan = plan(Map.of("SLUICE_HOME", "/tmp/sluice-home"));

    assertThat(plan.startsKafka()).isTrue();
    assertThat(plan.startsPostgres()).isTrue();
    assertThat(plan.startsRedis()).isTrue();
    assertThat(plan.redisMissing()).isEmpty();
    assertThat(plan.controllerPort()).isEqualTo(19093);
    assertThat(plan.redisDir()).isEqualTo(Path.of("/tmp/sluice-home/redis"));
    assertThat(plan.readyLines())
        .containsExactly(
            "SLUICE_KAFKA=127.0.0.1:19092",
            "SLUICE_DB_URL=jdbc:postgresql://127.0.0.1:15432/sluice",
            "SLUICE_DB_USER=sluice",
            "SLUICE_REDIS=redis://127.0.0.1:16379");
  }

  @Test
  void anExternalRedisIsAnnouncedWithoutItsPasswordAndNoneIsStarted() {
    InfraPlan plan =
        plan(
            Map.of(
                "SLUICE_REDIS", "rediss://cache.example:6380/2",
                "SLUICE_REDIS_PASSWORD", "pw-never-printed",
                // Would clash with the embedded broker, but no Redis is started.
                "SLUICE_EMBEDDED_REDIS_PORT", "19092"));

    assertThat(plan.startsRedis()).isFalse();
    assertThat(plan.redisMissing()).isEmpty();
    assertThat(plan.readyLines()).contains("SLUICE_REDIS=rediss://cache.example:6380/2");
    assertThat(String.join("\n", plan.readyLines()) + plan).doesNotContain("pw-never-printed");
  }

  @Test
  void withoutRedisServerThePlatformRunsWithoutRedisAndSaysWhatToInstall() {
    InfraPlan plan = InfraPlan.from(SluiceConfig.from(Map.of()), Optional.empty());

    assertThat(plan.startsRedis()).isFalse();
    assertThat(plan.startsKafka()).isTrue();
    assertThat(plan.readyLines()).noneMatch(line -> line.startsWith("SLUICE_REDIS="));
    assertThat(plan.redisMissing())
        .contains(
            "the embedded Redis is not started: redis-server is not on the PATH: install Debian"
                + " package redis-server (apt-get install redis-server)");
  }

  @Test
  void theEmbeddedRedisCanBeLeftOut() {
    InfraPlan plan = plan(Map.of("SLUICE_EMBEDDED_REDIS", "false"));

    assertThat(plan.startsRedis()).isFalse();
    assertThat(plan.redisMissing()).isEmpty();
    assertThat(plan.readyLines()).noneMatch(line -> line.startsWith("SLUICE_REDIS="));
  }

  @Test
  void redisMayNotTakeAPortOfKafkaOrPostgres() {
    for (String port : new String[] {"19092", "19093", "15432"}) {
      assertThatThrownBy(() -> plan(Map.of("SLUICE_EMBEDDED_REDIS_PORT", port)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("SLUICE_EMBEDDED_REDIS_PORT='" + port + "' is not valid");
    }
  }

  @Test
  void externalSystemsAreAnnouncedAndNotStarted() {
    InfraPlan plan =
        plan(
            Map.of(
                "SLUICE_KAFKA", "kafka.example:9092",
                "SLUICE_DB_URL", "jdbc:postgresql://db.example:5432/analytics",
                "SLUICE_DB_USER", "analyst",
                "SLUICE_EMBEDDED_REDIS", "false",
                // Would clash with the embedded broker, which is not started.
                "SLUICE_EMBEDDED_POSTGRES_PORT", "19093"));

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
