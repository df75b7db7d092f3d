package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with real child processes ({@code sh}) that exit as the pipeline's contract says:
 * 0 finished, 2 bad configuration, 3 permanent error, anything else may recover.
 */
class SupervisedTest {
  private static final Supervised.Backoff QUICK = new Supervised.Backoff(1, 4, 60_000);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aPermanentErrorIsRetriedAFewTimesThenLeftStoppedWithItsLastErrorLine() throws Exception {
    Path runs = dir.resolve("runs");
    Path log = dir.resolve("pipelines.log");
    try (Session session = new Session();
        Supervised supervised =
            new Supervised(
                "Spark application",
                child(
                    "echo started; echo run >> '"
                        + runs
                        + "'; echo 'sluice run: no sentiment model under /models' >&2;"
                        + " echo '  at some.Frame(Frame.java:1)' >&2; exit 3",
                    log),
                session,
                QUICK)) {
      supervised.start();

      String reason = supervised.stopped().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(reason)
          .contains("exited with code 3")
          .contains("permanent error")
          .contains("no sentiment model under /models")
          .contains(Integer.toString(Supervised.PERMANENT_RETRIES + 1) + " times in a row")
          .contains(log.toString());
      assertThat(Files.readAllLines(runs)).hasSize(Supervised.PERMANENT_RETRIES + 1);
    }
  }

  @Test
  void badConfigurationIsAPermanentErrorToo() throws Exception {
    try (Session session = new Session();
        Supervised supervised =
            new Supervised(
                "pipeline",
                child("echo 'SLUICE_KAFKA=x is not valid' >&2; exit 2", dir.resolve("log")),
                session,
                QUICK)) {
      supervised.start();
      assertThat(supervised.stopped().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .contains("exited with code 2")
          .contains("bad flags or configuration")
          .contains("SLUICE_KAFKA=x is not valid");
    }
  }

  @Test
  void aFailureItMayRecoverFromIsRestartedBeyondThePermanentLimit() throws Exception {
    Path runs = dir.resolve("runs");
    try (Session session = new Session();
        Supervised supervised =
            new Supervised(
                "pipeline",
                child("echo run >> '" + runs + "'; exit 1", dir.resolve("log")),
                session,
                QUICK)) {
      supervised.start();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (lines(runs) < 2 * (Supervised.PERMANENT_RETRIES + 1)) {
        assertThat(System.nanoTime()).as("restarted again and again").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(supervised.stopped()).isNotDone();
    }
  }

  @Test
  void aChildThatFinishedIsNotStartedAgain() throws Exception {
    Path runs = dir.resolve("runs");
    try (Session session = new Session();
        Supervised supervised =
            new Supervised(
                "pipeline",
                child("echo run >> '" + runs + "'; exit 0", dir.resolve("log")),
                session,
                QUICK)) {
      supervised.start();
      assertThat(supervised.stopped().get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("finished");
      assertThat(lines(runs)).isEqualTo(1);
    }
  }

  private static long lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  private static Supplier<ChildProcess> child(String script, Path log) {
    return () ->
        ChildProcess.loggingTo(
            "child", new ProcessBuilder(List.of("sh", "-c", script)), java.util.Map.of(), log);
  }
}
