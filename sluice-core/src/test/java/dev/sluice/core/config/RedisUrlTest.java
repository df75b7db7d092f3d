package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisUrlTest {
  private static final String PASSWORD = "r3dis-Pa55word!";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "redis://127.0.0.1:16379|false|127.0.0.1|16379|0|redis://127.0.0.1:16379",
        "redis://cache.example.com:6380/3|false|cache.example.com|6380|3|redis://cache.example.com:6380/3",
        "rediss://cache.example.com:6380|true|cache.example.com|6380|0|rediss://cache.example.com:6380",
        "redis://localhost|false|localhost|6379|0|redis://localhost:6379",
        "redis://localhost/|false|localhost|6379|0|redis://localhost:6379",
        "redis://[::1]:7000/15|false|[::1]|7000|15|redis://[::1]:7000/15",
        "' redis://h:1 '|false|h|1|0|redis://h:1"
      })
  void readsHostPortTlsAndDatabase(
      String text, boolean tls, String host, int port, int database, String shown) {
    RedisUrl url = RedisUrl.parse(text);
    assertThat(url).isEqualTo(new RedisUrl(tls, host, port, database));
    assertThat(url).hasToString(shown);
  }

  @Test
  void anIpv6HostLosesItsBracketsForSockets() {
    assertThat(RedisUrl.parse("redis://[::1]:7000").socketHost()).isEqualTo("::1");
    assertThat(RedisUrl.parse("redis://127.0.0.1:7000").socketHost()).isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:6379",
        "http://h:6379",
        "redis://",
        "redis://h:0",
        "redis://h:65536",
        "redis://h:abc",
        "redis://h:6379/x",
        "redis://h:6379/-1",
        "redis://h:6379?timeout=5",
        "redis://h_x:6379",
        "redis://h:6379/0/1",
        "redis://-h:6379"
      })
  void rejectsWhatIsNotARedisUrl(String text) {
    assertThatThrownBy(() -> RedisUrl.parse(text)).isInstanceOf(Parser.Rejected.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis://:" + PASSWORD + "@h:6379",
        "redis://default:" + PASSWORD + "@h:6379/1",
        "rediss://u:" + PASSWORD + "@h",
        "redis://u:" + PASSWORD + "/x@h:6379"
      })
  void rejectsAPasswordInTheUrlWithoutPrintingIt(String text) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> SluiceConfig.from(Map.of("SLUICE_REDIS", text)));
    assertThat(e).isNotNull();
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("SLUICE_REDIS='")
                    .contains("(hidden)@h")
                    .contains("SLUICE_REDIS_PASSWORD")
                    .doesNotContain(PASSWORD));
  }

  @Test
  void aBadUrlWithoutCredentialsIsShownAsGiven() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> SluiceConfig.from(Map.of("SLUICE_REDIS", "redis://h:99999")));
    assertThat(e.problems())
        .containsExactly(
            "SLUICE_REDIS='redis://h:99999' is not valid: expected " + RedisUrl.EXPECTED);
  }

  @Test
  void configReadsTheUrlAndThePasswordApart() {
    SluiceConfig config =
        SluiceConfig.from(
            Map.of(
                "SLUICE_REDIS", "rediss://cache:6380/2",
                "SLUICE_REDIS_PASSWORD", PASSWORD,
                "SLUICE_EMBEDDED_REDIS_PORT", "26379",
                "SLUICE_EMBEDDED_REDIS", "false"));
    assertThat(config.redis()).contains(new RedisUrl(true, "cache", 6380, 2));
    assertThat(config.requireRedis()).isEqualTo(new RedisUrl(true, "cache", 6380, 2));
    assertThat(config.redisPassword().map(Secret::reveal)).contains(PASSWORD);
    assertThat(config.embeddedRedisPort()).isEqualTo(26379);
    assertThat(config.embeddedRedis()).isFalse();
    assertThat(config.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void unsetMeansTheEmbeddedRedisOnItsDefaultPort() {
    SluiceConfig config = SluiceConfig.from(Map.of());
    assertThat(config.redis()).isEmpty();
    assertThat(config.redisPassword()).isEmpty();
    assertThat(config.embeddedRedisPort()).isEqualTo(16379);
    assertThat(config.embeddedRedis()).isTrue();
    assertThatThrownBy(config::requireRedis)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_REDIS is not set");
  }

  @Test
  void everyBadRedisSettingIsReportedOnItsOwnLine() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                SluiceConfig.from(
                    Map.of(
                        "SLUICE_REDIS", "localhost:6379",
                        "SLUICE_EMBEDDED_REDIS_PORT", "0",
                        "SLUICE_EMBEDDED_REDIS", "maybe")));
    assertThat(e.problems())
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).startsWith("SLUICE_REDIS='localhost:6379'"))
        .anySatisfy(line -> assertThat(line).startsWith("SLUICE_EMBEDDED_REDIS_PORT='0'"))
        .anySatisfy(line -> assertThat(line).startsWith("SLUICE_EMBEDDED_REDIS='maybe'"));
  }
}
