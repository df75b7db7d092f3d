package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.ReviewsDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real broker and database, through InfraMain started as its own process: serving, durability
 * settings, a clean restart, and a restart after the infra JVM was killed with the PostgreSQL
 * server it started still running. One home for the whole class: each start costs seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfraEndToEndIT {
  private static final int PARTITIONS = 3;

  private Path temp;
  private Path home;
  private Map<String, String> settings;
  private InfraProcess infra;
  private Map<String, String> announced;
  private int starts;

  /** Records written so far, each with where it landed. */
  private final List<Written> written = new ArrayList<>();

  private record Written(String key, String value, int partition, long offset) {}

  @BeforeAll
  void startInfra(@TempDir Path temp) throws Exception {
    this.temp = temp;
    home = temp.resolve("home");
    int kafkaPort = InfraProcess.freePortPair();
    int postgresPort = InfraProcess.freePort();
    settings =
        Map.of(
            "SLUICE_HOME", home.toString(),
            "SLUICE_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort),
            "SLUICE_EMBEDDED_POSTGRES_PORT", Integer.toString(postgresPort),
            "SLUICE_REVIEWS_PARTITIONS", Integer.toString(PARTITIONS));
    start();
  }

  @AfterAll
  void stopInfra() throws Exception {
    if (infra != null) {
      infra.close();
    }
  }

  private void start() throws Exception {
    starts++;
    infra = InfraProcess.start(settings, temp.resolve("stderr-" + starts + ".log"));
    announced = infra.awaitReady();
  }

  @Test
  @Order(1)
  void announcesOnlyTheAddressesOnStdoutAndInInfraEnv() throws Exception {
    String kafka = "127.0.0.1:" + settings.get("SLUICE_EMBEDDED_KAFKA_PORT");
    String dbUrl =
        "jdbc:postgresql://127.0.0.1:" + settings.get("SLUICE_EMBEDDED_POSTGRES_PORT") + "/sluice";
    assertThat(infra.stdoutLines())
        .containsExactly(
            "SLUICE_KAFKA=" + kafka,
            "SLUICE_DB_URL=" + dbUrl,
            "SLUICE_DB_USER=sluice",
            "SLUICE_INFRA_READY=true");
    assertThat(Files.readAllLines(home.resolve("infra.env")))
        .containsExactly(
            "SLUICE_KAFKA=" + kafka,
            "SLUICE_DB_URL=" + dbUrl,
            "SLUICE_DB_USER=sluice",
            "SLUICE_INFRA_PID=" + infra.process.pid());
    assertThat(home.resolve("logs/kafka.log")).isNotEmptyFile();
    assertThat(infra.stderrText()).doesNotContain("kafka.server");
  }

  @Test
  @Order(2)
  void createsTheReviewsTopicAndServesRecords() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()))) {
      int partitions =
          admin
              .describeTopics(List.of(ReviewsDefinition.TOPIC))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(ReviewsDefinition.TOPIC)
              .partitions()
              .size();
      assertThat(partitions).isEqualTo(PARTITIONS);
    }
    produce("review-1", "{\"text\":\"first\"}");
    assertAllWrittenRecordsReadable();
  }

  @Test
  @Order(3)
  void postgresIsDurableAndTheDatabaseBelongsToSluice() throws Exception {
    try (Connection db = connect()) {
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        assertThat(queryString(db, "SHOW " + setting)).as(setting).isEqualTo("on");
      }
      assertThat(queryString(db, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(queryString(db, "SELECT current_user")).isEqualTo("sluice");
      assertThat(
              queryString(
                  db,
                  "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname ="
                      + " current_database()"))
          .isEqualTo("sluice");
      try (Statement statement = db.createStatement()) {
        statement.execute("CREATE TABLE durability_check (id int PRIMARY KEY, note text NOT NULL)");
      }
      insertRow(db, 1, "before the clean restart");
    }
  }

  @Test
  @Order(4)
  void refusesASecondInstanceOnTheSameHome() throws Exception {
    InfraProcess second = InfraProcess.start(settings, temp.resolve("stderr-second.log"));
    assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
    assertThat(second.stderrText()).contains("already running", "pid " + infra.process.pid());
    assertThat(second.stdoutLines()).isEmpty();
    assertThat(InfraEnvFile.pid(home.resolve("infra.env"))).contains(infra.process.pid());
  }

  @Test
  @Order(5)
  void externalSystemsAreAnnouncedAndUsedButNotStarted() throws Exception {
    Path otherHome = temp.resolve("external-home");
    Map<String, String> external =
        Map.of(
            "SLUICE_HOME", otherHome.toString(),
            "SLUICE_KAFKA", kafka(),
            "SLUICE_DB_URL", announced.get("SLUICE_DB_URL"),
            // Held by the running platform: binding them would fail.
            "SLUICE_EMBEDDED_KAFKA_PORT", settings.get("SLUICE_EMBEDDED_KAFKA_PORT"),
            "SLUICE_EMBEDDED_POSTGRES_PORT", settings.get("SLUICE_EMBEDDED_POSTGRES_PORT"));
    try (InfraProcess other = InfraProcess.start(external, temp.resolve("stderr-external.log"))) {
      Map<String, String> values = other.awaitReady();
      assertThat(values)
          .containsEntry("SLUICE_KAFKA", kafka())
          .containsEntry("SLUICE_DB_URL", announced.get("SLUICE_DB_URL"))
          .containsEntry("SLUICE_DB_USER", "sluice");
      assertThat(otherHome.resolve("kafka")).doesNotExist();
      assertThat(otherHome.resolve("postgres")).doesNotExist();
      assertThat(other.stop()).as("ended by SIGTERM, not by a failure").isEqualTo(143);
    }
    assertAllWrittenRecordsReadable();
  }

  @Test
  @Order(6)
  void aCleanStopStopsBothAndARestartKeepsTheData() throws Exception {
    assertThat(infra.stop()).as("ended by SIGTERM, not by a failure").isEqualTo(143);
    assertThat(home.resolve("infra.env")).doesNotExist();
    assertThat(home.resolve("postgres/" + Postmaster.PID_FILE))
        .as("PostgreSQL stopped")
        .doesNotExist();
    assertThat(Ports.isFree(Integer.parseInt(settings.get("SLUICE_EMBEDDED_KAFKA_PORT")))).isTrue();
    assertThat(home.resolve("kafka/meta.properties")).exists();

    start();
    assertAllWrittenRecordsReadable();
    try (Connection db = connect()) {
      assertThat(rows(db)).containsExactly("1:before the clean restart");
    }
  }

  @Test
  @Order(7)
  void aKilledInfraLeavesPostgresRunningAndTheNextStartTakesOver() throws Exception {
    produce("review-2", "{\"text\":\"before the crash\"}");
    try (Connection db = connect()) {
      insertRow(db, 2, "before the crash");
    }

    infra.kill();
    Optional<ProcessHandle> orphan = Postmaster.runningPid(home.resolve("postgres"));
    assertThat(orphan).as("the PostgreSQL server outlives the killed infra JVM").isPresent();
    // Committed to the orphaned server after its supervisor died: must survive the takeover.
    try (Connection db = connect()) {
      insertRow(db, 3, "while orphaned");
    }

    start();
    assertThat(orphan.get().isAlive()).as("the left-over server was stopped").isFalse();
    assertThat(Postmaster.runningPid(home.resolve("postgres"))).isPresent();
    assertAllWrittenRecordsReadable();
    try (Connection db = connect()) {
      assertThat(rows(db))
          .containsExactly("1:before the clean restart", "2:before the crash", "3:while orphaned");
    }
  }

  @Test
  @Order(8)
  void infraStartsPostgresAgainWhenItDiesAndGivesUpWhenItKeepsDying() throws Exception {
    for (int restart = 1; restart <= InfraSupervisor.MAX_DATABASE_RESTARTS; restart++) {
      ProcessHandle server = Postmaster.runningPid(home.resolve("postgres")).orElseThrow();
      server.destroyForcibly();
      ProcessHandle again = awaitRestart(server.pid(), restart);
      try (Connection connection = connect();
          Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery("SELECT 1")) {
        assertThat(row.next()).as("PostgreSQL answers after restart " + restart).isTrue();
      }
      assertThat(again.pid()).isNotEqualTo(server.pid());
    }
    assertThat(infra.stderrText()).doesNotContain("sluice infra: the embedded PostgreSQL stopped");

    // One death too many in a row: infra exits, and stops Kafka on the way out.
    Postmaster.runningPid(home.resolve("postgres")).orElseThrow().destroyForcibly();
    assertThat(infra.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
    assertThat(infra.stderrText())
        .contains("sluice infra: the embedded PostgreSQL stopped unexpectedly")
        .contains("after " + InfraSupervisor.MAX_DATABASE_RESTARTS + " restarts");
    assertThat(Ports.isFree(Integer.parseInt(settings.get("SLUICE_EMBEDDED_KAFKA_PORT"))))
        .as("Kafka stopped on the way out")
        .isTrue();
    assertThat(home.resolve("infra.env")).doesNotExist();
  }

  /**
   * Waits until infra says it has restarted PostgreSQL {@code restarts} times (its restart is then
   * over, so the next death is a new one) and a server other than {@code oldPid} answers.
   */
  private ProcessHandle awaitRestart(long oldPid, int restarts) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      var server = Postmaster.runningPid(home.resolve("postgres"));
      long announced =
          infra.stderrText().lines().filter(l -> l.contains("PostgreSQL is running again")).count();
      if (server.isPresent() && server.get().pid() != oldPid && announced == restarts) {
        try (Connection connection = connect()) {
          return server.get();
        } catch (SQLException e) {
          // started, not accepting connections yet
        }
      }
      assertThat(infra.isAlive()).as("infra alive; stderr: " + infra.stderrText()).isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError("PostgreSQL did not start again; stderr: " + infra.stderrText());
  }

  private String kafka() {
    return announced.get("SLUICE_KAFKA");
  }

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", announced.get("SLUICE_DB_USER"));
    return DriverManager.getConnection(announced.get("SLUICE_DB_URL"), props);
  }

  private void produce(String key, String value) throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      RecordMetadata meta =
          producer
              .send(new ProducerRecord<>(ReviewsDefinition.TOPIC, key, value))
              .get(30, TimeUnit.SECONDS);
      written.add(new Written(key, value, meta.partition(), meta.offset()));
    }
  }

  /** Reads back every record written so far at the offset the broker acknowledged. */
  private void assertAllWrittenRecordsReadable() {
    assertThat(written).isNotEmpty();
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      for (Written record : written) {
        TopicPartition partition = new TopicPartition(ReviewsDefinition.TOPIC, record.partition());
        consumer.assign(List.of(partition));
        consumer.seek(partition, record.offset());
        ConsumerRecord<String, String> read = pollOne(consumer);
        assertThat(read.offset()).isEqualTo(record.offset());
        assertThat(read.key()).isEqualTo(record.key());
        assertThat(read.value()).isEqualTo(record.value());
      }
    }
  }

  private static ConsumerRecord<String, String> pollOne(KafkaConsumer<String, String> consumer) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
        return record;
      }
    }
    throw new AssertionError("no record within 30 s");
  }

  private static void insertRow(Connection db, int id, String note) throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement("INSERT INTO durability_check (id, note) VALUES (?, ?)")) {
      insert.setInt(1, id);
      insert.setString(2, note);
      assertThat(insert.executeUpdate()).isEqualTo(1);
    }
  }

  private static List<String> rows(Connection db) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = db.createStatement();
        ResultSet result =
            statement.executeQuery("SELECT id, note FROM durability_check ORDER BY id")) {
      while (result.next()) {
        rows.add(result.getInt(1) + ":" + result.getString(2));
      }
    }
    return rows;
  }

  private static String queryString(Connection db, String sql) throws SQLException {
    try (Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertThat(result.next()).as(sql).isTrue();
      return result.getString(1);
    }
  }
}
