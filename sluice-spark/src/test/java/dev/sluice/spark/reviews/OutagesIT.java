package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline depends on goes away under it, mid-stream, while it runs: PostgreSQL hung
 * (SIGSTOP) for 30 s, then the Kafka broker hung for 30 s, then PostgreSQL killed (SIGKILL) and
 * started again by the embedded platform. The pipeline process stays up, logs the outage, resumes
 * on its own, and ends with the same results as a run that saw no fault: nothing lost, nothing
 * doubled.
 */
class OutagesIT {
  static final String TOPIC = "outage-reviews";
  static final int WAVE = 1_500;
  static final int RECORDS_PER_BATCH = 250;

  /** Twice the JDBC socket timeout the pipeline runs with: a statement times out mid-outage. */
  static final Duration OUTAGE = Duration.ofSeconds(20);

  static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(300);

  static EmbeddedPlatform platform;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.start();
  }

  @AfterAll
  static void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void hungDatabaseHungBrokerAndKilledDatabaseLoseAndDoubleNothing() throws Exception {
    List<Review> reviews = TestData.imdbReviews(20_000, 4 * WAVE);
    PipelineRun faulted =
        new PipelineRun(
                platform,
                ReviewsDefinition.NAME,
                TestModels.homeWithModel("outages"),
                "outages_faulted",
                TOPIC,
                RECORDS_PER_BATCH)
            // Shorter than the outage, so that the hung database fails the batch under way and the
            // pipeline's restarts are what carries it through, not a long wait.
            .withJdbcParameters("socketTimeout=10");
    TopicWriter.write(platform.kafka(), TOPIC, 4, wave(reviews, 0));
    Process pipeline = faulted.start(false);
    try {
      // PostgreSQL hung mid-stream, while more reviews arrive.
      awaitProcessed(faulted, pipeline, 300);
      List<ProcessHandle> postgres = postgresProcesses();
      signal("STOP", postgres);
      try {
        TopicWriter.write(platform.kafka(), TOPIC, 4, wave(reviews, 1));
        Thread.sleep(OUTAGE.toMillis());
      } finally {
        signal("CONT", postgres);
      }
      assertThat(pipeline.isAlive()).as("pipeline alive after the database outage").isTrue();
      awaitProcessed(faulted, pipeline, 2L * WAVE);

      // The broker hung mid-stream.
      TopicWriter.write(platform.kafka(), TOPIC, 4, wave(reviews, 2));
      awaitProcessed(faulted, pipeline, 2L * WAVE + 200);
      List<ProcessHandle> broker = List.of(ProcessHandle.of(platform.pid()).orElseThrow());
      signal("STOP", broker);
      try {
        Thread.sleep(OUTAGE.toMillis());
      } finally {
        signal("CONT", broker);
      }
      assertThat(pipeline.isAlive()).as("pipeline alive after the broker outage").isTrue();
      awaitProcessed(faulted, pipeline, 3L * WAVE);

      // PostgreSQL killed mid-stream (the embedded platform starts it again).
      TopicWriter.write(platform.kafka(), TOPIC, 4, wave(reviews, 3));
      awaitProcessed(faulted, pipeline, 3L * WAVE + 200);
      signal("KILL", postgresProcesses().subList(0, 1));
      assertThat(pipeline.isAlive()).as("pipeline alive after PostgreSQL was killed").isTrue();
      awaitProcessed(faulted, pipeline, 4L * WAVE);
    } finally {
      pipeline.destroy();
      pipeline.waitFor(60, TimeUnit.SECONDS);
    }
    String log = Files.readString(faulted.log());
    assertThat(log)
        .contains("reviews: PostgreSQL unavailable since")
        .contains("reviews: recovered after");
    // One line per outage, however many retries it took.
    assertThat(log.lines().filter(line -> line.contains("unavailable since")).count())
        .isBetween(2L, 3L);

    PipelineRun calm =
        new PipelineRun(
            platform,
            ReviewsDefinition.NAME,
            TestModels.homeWithModel("outages-calm"),
            "outages_calm",
            TOPIC,
            RECORDS_PER_BATCH);
    assertThat(calm.runOnce(600)).as("log: " + calm.log()).isZero();
    try (Connection expected = calm.connect();
        Connection actual = faulted.connect()) {
      for (String table :
          List.of(
              "SELECT word, count FROM word_counts ORDER BY word",
              "SELECT topic, kafka_partition, kafka_offset, id, excerpt, predicted, probability, truth, score"
                  + " FROM predictions ORDER BY topic, kafka_partition, kafka_offset",
              // Batch boundaries differ (the outages cut batches short); the sums may not.
              "SELECT sum(records), sum(quarantined) FROM pipeline_batches",
              "SELECT reviews, total, correct FROM accuracy ORDER BY batch_id DESC LIMIT 1")) {
        assertThat(TableRows.rows(actual, table))
            .as(table)
            .isEqualTo(TableRows.rows(expected, table));
      }
      assertThat(TableRows.count(actual, "SELECT count(*) FROM predictions")).isEqualTo(4L * WAVE);
    }
  }

  private static List<byte[]> wave(List<Review> reviews, int index) {
    List<byte[]> values = new ArrayList<>();
    for (Review review : reviews.subList(index * WAVE, (index + 1) * WAVE)) {
      values.add(ReviewCodec.encode(review));
    }
    return values;
  }

  /** The postmaster and every process it started, read from the data directory's pid file. */
  private static List<ProcessHandle> postgresProcesses() throws Exception {
    long postmaster =
        Long.parseLong(
            Files.readAllLines(platform.home().resolve("postgres").resolve("postmaster.pid"))
                .get(0)
                .strip());
    ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
    return Stream.concat(Stream.of(handle), handle.descendants()).toList();
  }

  /**
   * Signals the first process, which must be there, and those of the others still there (a
   * PostgreSQL backend may end at any time).
   */
  private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
    for (int i = 0; i < processes.size(); i++) {
      List<String> command = List.of("kill", "-" + signal, Long.toString(processes.get(i).pid()));
      Process kill =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      if (i == 0) {
        assertThat(kill.exitValue()).as(String.join(" ", command)).isZero();
      }
    }
  }

  /** Waits until the pipeline's ledger holds at least {@code records} records. */
  private static void awaitProcessed(PipelineRun run, Process pipeline, long records)
      throws Exception {
    Instant deadline = Instant.now().plus(PROGRESS_DEADLINE);
    long processed = 0;
    while (Instant.now().isBefore(deadline)) {
      assertThat(pipeline.isAlive()).as("pipeline alive; log: " + run.log()).isTrue();
      try (Connection connection = run.connect()) {
        processed =
            TableRows.count(connection, "SELECT coalesce(sum(records), 0) FROM pipeline_batches");
      } catch (SQLException e) {
        processed = 0; // tables not created yet
      }
      if (processed >= records) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the pipeline processed "
            + processed
            + " records, not "
            + records
            + ", within "
            + PROGRESS_DEADLINE
            + "; log: "
            + run.log()
            + "\n"
            + new String(Files.readAllBytes(run.log()), StandardCharsets.UTF_8)
                .lines()
                .filter(line -> line.contains("WARN") || line.contains("ERROR"))
                .limit(40)
                .reduce("", (a, b) -> a + "\n" + b));
  }
}
