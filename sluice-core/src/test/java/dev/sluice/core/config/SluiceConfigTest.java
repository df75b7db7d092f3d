package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.reviews.ReviewsDefinition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SluiceConfigTest {
  private static final String PASSWORD = "s3cr3t-Pa55word!";

  private static ConfigException rejected(Map<String, String> env) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SluiceConfig.from(env));
    assertThat(e).as("ConfigException for %s", env).isNotNull();
    return e;
  }

  @Test
  void emptyEnvironmentGivesTheEmbeddedDemoDefaults() {
    SluiceConfig config = SluiceConfig.from(Map.of());
    assertThat(config.home()).isEqualTo(Path.of(".sluice"));
    assertThat(config.kafka()).isEmpty();
    assertThat(config.dbUrl()).isEmpty();
    assertThat(config.dbUser()).isEqualTo("sluice");
    assertThat(config.dbPassword()).isEmpty();
    assertThat(config.sparkMaster()).isEqualTo("local[*]");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.apiToken()).isEmpty();
    assertThat(config.embeddedKafkaPort()).isEqualTo(19092);
    assertThat(config.embeddedPostgresPort()).isEqualTo(15432);
    assertThat(config.partitions(ReviewsDefinition.INPUT)).isEqualTo(4);
    assertThat(config.shufflePartitions()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.maxRecordsPerBatch()).isEqualTo(100_000L);
    assertThat(config.checkpoints()).isEqualTo(Path.of(".sluice", "checkpoints"));
    assertThat(config.models()).isEqualTo(Path.of(".sluice", "models"));
    assertThat(config.datasets()).isEqualTo(Path.of(".sluice", "datasets"));
    assertThat(config.apiTokenFile()).isEqualTo(Path.of(".sluice", "api-token"));
    assertThat(config.allowedHosts()).containsExactly("localhost", "127.0.0.1", "[::1]");
    assertThat(config.maxSseClients()).isEqualTo(1000);
    assertThat(config.httpIdleTimeoutSeconds()).isEqualTo(30);
    assertThat(config.postIdWindow()).isEqualTo(100_000);
  }

  @Test
  void allowedHostsAreNamesOrAddressesWithOptionalPortsKeptLowerCase() {
    SluiceConfig config =
        SluiceConfig.from(
            Map.of("SLUICE_ALLOWED_HOSTS", " Sluice.Example.com:443, 10.0.0.7 ,[fe80::1]:8080"));
    assertThat(config.allowedHosts())
        .containsExactly("sluice.example.com:443", "10.0.0.7", "[fe80::1]:8080");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "a b", "host:port", "localhost,", "http://x", "[::1"})
  void rejectsAHostListThatIsNotOne(String hosts) {
    assertThat(rejected(Map.of("SLUICE_ALLOWED_HOSTS", hosts)).problems())
        .singleElement()
        .satisfies(line -> assertThat(line).contains("SLUICE_ALLOWED_HOSTS").contains("expected"));
  }

  @Test
  void jvmOptionsAreSplitOnSpacesAndNoneByDefault() {
    assertThat(SluiceConfig.from(Map.of()).jvmOptions()).isEmpty();
    assertThat(
            SluiceConfig.from(
                    Map.of("SLUICE_JVM_OPTIONS", " -XX:TieredStopAtLevel=1  -XX:+UseSerialGC "))
                .jvmOptions())
        .containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UseSerialGC", "-Xmx1g Xss2m", "-", " "})
  void rejectsJvmOptionsThatDoNotStartWithADash(String options) {
    assertThat(rejected(Map.of("SLUICE_JVM_OPTIONS", options)).problems())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("SLUICE_JVM_OPTIONS=")
                    .contains("expected JVM options separated by spaces"));
  }

  @Test
  void readsEveryValueFromTheEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SLUICE_HOME", "/data/sluice");
    env.put("SLUICE_KAFKA", "127.0.0.1:9092,broker2:9093");
    env.put("SLUICE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/sluice");
    env.put("SLUICE_DB_USER", "app");
    env.put("SLUICE_DB_PASSWORD", PASSWORD);
    env.put("SLUICE_SPARK_MASTER", "local[2]");
    env.put("SLUICE_HTTP_PORT", "9090");
    env.put("SLUICE_API_TOKEN", "tok");
    env.put("SLUICE_EMBEDDED_KAFKA_PORT", "29092");
    env.put("SLUICE_EMBEDDED_POSTGRES_PORT", "25432");
    env.put("SLUICE_REVIEWS_PARTITIONS", "8");
    env.put("SLUICE_SHUFFLE_PARTITIONS", "3");
    env.put("SLUICE_MAX_RECORDS_PER_BATCH", "1000");
    SluiceConfig config = SluiceConfig.from(env);
    assertThat(config.home()).isEqualTo(Path.of("/data/sluice"));
    assertThat(config.kafka()).contains("127.0.0.1:9092,broker2:9093");
    assertThat(config.requireKafka()).isEqualTo("127.0.0.1:9092,broker2:9093");
    assertThat(config.dbUrl()).contains("jdbc:postgresql://127.0.0.1:5432/sluice");
    assertThat(config.requireDbUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/sluice");
    assertThat(config.dbUser()).isEqualTo("app");
    assertThat(config.dbPassword().map(Secret::reveal)).contains(PASSWORD);
    assertThat(config.sparkMaster()).isEqualTo("local[2]");
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.apiToken().map(Secret::reveal)).contains("tok");
    assertThat(config.embeddedKafkaPort()).isEqualTo(29092);
    assertThat(config.embeddedPostgresPort()).isEqualTo(25432);
    assertThat(config.partitions(ReviewsDefinition.INPUT)).isEqualTo(8);
    assertThat(config.shufflePartitions()).isEqualTo(3);
    assertThat(config.maxRecordsPerBatch()).isEqualTo(1000L);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "local",
        "local[1]",
        "local[16]",
        "local[*]",
        "spark://10.0.0.1:7077",
        "yarn",
        "k8s://https://k:6443"
      })
  void acceptsEverySparkMasterForm(String master) {
    assertThat(SluiceConfig.from(Map.of("SLUICE_SPARK_MASTER", master)).sparkMaster())
        .isEqualTo(master);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "65535"})
  void acceptsPortBounds(String port) {
    assertThat(SluiceConfig.from(Map.of("SLUICE_HTTP_PORT", port)).httpPort())
        .isEqualTo(Integer.parseInt(port));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SLUICE_HTTP_PORT|abc|65535",
        "SLUICE_HTTP_PORT|70000|65535",
        "SLUICE_HTTP_PORT|0|65535",
        "SLUICE_KAFKA|nohostport|host:port",
        "SLUICE_KAFKA|broker:abc|host:port",
        "SLUICE_KAFKA|a:1,|host:port",
        "SLUICE_DB_URL|mysql://x|jdbc:postgresql",
        "SLUICE_SPARK_MASTER|local[0]|local[N]",
        "SLUICE_SPARK_MASTER|mesos://x|local[N]",
        "SLUICE_REVIEWS_PARTITIONS|0|1000",
        "SLUICE_MAX_RECORDS_PER_BATCH|-5|1",
        "SLUICE_EMBEDDED_KAFKA_PORT|x|65535",
        "SLUICE_MAX_SSE_CLIENTS|0|100000",
        "SLUICE_HTTP_IDLE_TIMEOUT_SECONDS|5|16",
        "SLUICE_POST_ID_WINDOW|-1|10000000"
      })
  void reportsABadValueNamingVariableValueAndExpectation(String name, String value, String hint) {
    ConfigException e = rejected(Map.of(name, value));
    assertThat(e.problems()).hasSize(1);
    String line = e.problems().get(0);
    assertThat(line).contains(name).contains(value).contains("expected").contains(hint);
    assertThat(e.getMessage()).isEqualTo(line);
  }

  @Test
  void reportsEveryBadValueAtOnceOneLineEach() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SLUICE_HTTP_PORT", "abc");
    env.put("SLUICE_KAFKA", "nohostport");
    env.put("SLUICE_DB_URL", "mysql://x");
    env.put("SLUICE_SPARK_MASTER", "local[0]");
    env.put("SLUICE_DB_PASSWORD", PASSWORD);
    env.put("SLUICE_DB_USER", "fine");
    ConfigException e = rejected(env);
    assertThat(e.problems()).hasSize(4);
    assertThat(e.getMessage().lines()).hasSize(4);
    for (String name :
        new String[] {"SLUICE_HTTP_PORT", "SLUICE_KAFKA", "SLUICE_DB_URL", "SLUICE_SPARK_MASTER"}) {
      assertThat(e.problems())
          .as("problems %s", e.problems())
          .filteredOn(line -> line.contains(name + "="))
          .singleElement()
          .satisfies(
              line -> assertThat(line).contains("'" + env.get(name) + "'").contains("expected"));
    }
    assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain("SLUICE_DB_USER");
  }

  @Test
  void passwordNeverAppearsInMessagesOrToString() {
    SluiceConfig config =
        SluiceConfig.from(
            Map.of("SLUICE_DB_PASSWORD", PASSWORD, "SLUICE_API_TOKEN", "tok-" + PASSWORD));
    assertThat(config.toString()).doesNotContain(PASSWORD).contains("dbPassword");
    assertThat(config.dbPassword().orElseThrow().toString()).doesNotContain(PASSWORD);
    assertThat(config.dbPassword().orElseThrow().reveal()).isEqualTo(PASSWORD);
    assertThat(String.valueOf(config.dbPassword())).doesNotContain(PASSWORD);

    ConfigException e = rejected(Map.of("SLUICE_DB_PASSWORD", PASSWORD, "SLUICE_HTTP_PORT", "abc"));
    assertThat(e.getMessage()).doesNotContain(PASSWORD);
  }

  @Test
  void aRejectedSecretIsReportedWithoutItsValue() {
    String blank = " \t ";
    ConfigException e = rejected(Map.of("SLUICE_DB_PASSWORD", blank));
    assertThat(e.problems())
        .singleElement()
        .satisfies(line -> assertThat(line).contains("SLUICE_DB_PASSWORD").doesNotContain(blank));
  }

  @Test
  void secretsEqualByValueButPrintMasked() {
    assertThat(new Secret("a")).isEqualTo(new Secret("a")).isNotEqualTo(new Secret("b"));
    assertThat(new Secret("a").hashCode()).isEqualTo(new Secret("a").hashCode());
    assertThat(new Secret("hunter2")).hasToString("********");
  }

  @Test
  void requiringAnUnsetExternalSystemNamesTheVariable() {
    SluiceConfig config = SluiceConfig.from(Map.of());
    assertThatThrownBy(config::requireKafka)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_KAFKA");
    assertThatThrownBy(config::requireDbUrl)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_DB_URL");
  }

  @Test
  void everySettingIsListedOnceWithADescription() {
    assertThat(SluiceConfig.ALL)
        .extracting(Setting::env)
        .doesNotHaveDuplicates()
        .allMatch(n -> n.startsWith("SLUICE_"));
    assertThat(SluiceConfig.ALL).allSatisfy(s -> assertThat(s.description()).isNotBlank());
    assertThat(SluiceConfig.ALL)
        .filteredOn(Setting::secret)
        .extracting(Setting::env)
        .containsExactlyInAnyOrder(
            "SLUICE_DB_PASSWORD", "SLUICE_API_TOKEN", "SLUICE_REDIS_PASSWORD");
  }
}
