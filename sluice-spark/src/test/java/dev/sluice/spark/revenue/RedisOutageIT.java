package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away mid-stream for longer than a task retries (its redis-server killed while its
 * supervisor is stopped, so that nothing restarts it), then comes back: the pipeline waits,
 * restarts its queries from their checkpoints, and ends with what the records say, nothing lost and
 * nothing applied twice (the totals would show it).
 */
class RedisOutageIT {
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void aRedisOutageMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    platform.redis();
    // Step 1: 900 updates of 50 ids, arriving over 40 s.
    RevenueTestRecords sent = RevenueTestRecords.generate(20261202, 50, 900, 4);
    String topic = "revenue-outage";
    CompletableFuture<Void> arriving =
        TopicWriter.writeKeyedOverTime(
            platform.kafka(), topic, 2, sent.messages, 20, Duration.ofSeconds(40));

    try (RevenueRun run = new RevenueRun(platform, topic, "outage", 100)) {
      Process pipeline = run.pipeline.start(false);
      try {
        // Step 2: once the pipeline has applied some records, Redis dies and stays away.
        RevenueChecks.awaitOrFail(pipeline, run, () -> run.historyEntries() > 50);
        long supervisor = platform.redisSupervisorPid().orElseThrow();
        long server = platform.redisServerPid().orElseThrow();
        signal("STOP", supervisor);
        try {
          ProcessHandle.of(server).ifPresent(ProcessHandle::destroyForcibly);
          Thread.sleep(OUTAGE.toMillis());
          assertThat(run.historyEntries()).as("Redis is away").isZero();
        } finally {
          signal("CONT", supervisor);
        }
        // Step 3: its supervisor starts it again (from its append-only file); the pipeline goes on.
        arriving.get(5, TimeUnit.MINUTES);
        RevenueChecks.awaitOrFail(
            pipeline,
            run,
            () -> run.done(sent.distinctRecords(), sent.malformed.size(), sent.messages.size()));
      } finally {
        pipeline.destroy();
        assertThat(pipeline.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }

      // Step 4: everything applied exactly once, and the outage logged naming Redis.
      RevenueModel model = new RevenueModel(sent.records);
      RevenueChecks.redisEqualsModel(run, model);
      RevenueChecks.computedEqualsModel(platform.kafka(), run, model);
      RevenueChecks.minutesEqualModel(platform.kafka(), run, sent);
      String log = Files.readString(run.pipeline.log());
      assertThat(log).contains("Redis at redis://127.0.0.1:").contains("Redis unavailable");
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
  }
}
