package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.PipelineRows;
import dev.sluice.server.support.PipelineRows.Row;
import dev.sluice.server.support.SseReader;
import dev.sluice.server.support.TestServer;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/stream: a snapshot on connect, then one update per committed batch, to every client. */
class LiveStreamIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private TestServer server;

  /** A server and schema per test: each test numbers its batches from scratch. */
  @BeforeEach
  void start() {
    server = TestServer.start(Optional.empty());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyClientGetsTheSnapshotThenEachBatchOnce() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<SseReader> clients = new ArrayList<>();
    try (Connection c = server.jdbc()) {
      PipelineRows rows = new PipelineRows(c);
      rows.commitBatch(
          10,
          Map.of("gripping", 3L),
          new Row("s1", "A gripping <script>x</script> story", "pos", 0.97, "pos", 5));
      awaitMetric("sluice_live_events_total", 2); // the first snapshot and that batch

      for (int i = 0; i < 3; i++) {
        clients.add(new SseReader(http, server.uri("/api/stream")));
      }
      for (SseReader client : clients) {
        assertThat(client.response().statusCode()).isEqualTo(200);
        assertThat(client.response().headers().firstValue("Content-Type"))
            .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        JsonNode snapshot = client.next("snapshot", WAIT).data();
        assertThat(snapshot.get("last_batch_id").asLong()).isEqualTo(10);
        assertThat(snapshot.get("predictions").get(0).get("excerpt").asText())
            .isEqualTo("A gripping <script>x</script> story");
        assertThat(snapshot.get("words").get(0).get("word").asText()).isEqualTo("gripping");
        assertThat(snapshot.get("accuracy")).hasSize(1);
        assertThat(snapshot.get("pipelines").get(0).get("name").asText()).isEqualTo("reviews");
      }
      assertThat(server.server().hub().clients()).isEqualTo(3);

      rows.commitBatch(
          11,
          Map.of("dull", 5L),
          new Row("s2", "Dull", "neg", 0.88, "neg", 1),
          new Row("s3", "Fine", "pos", 0.6, null, 3));
      rows.commitBatch(12, Map.of("dull", 1L), new Row("s4", "Meh", "neg", 0.55, "pos", null));

      for (SseReader client : clients) {
        JsonNode first = client.next("batch", WAIT).data();
        assertThat(first.get("batches").get(0).get("pipeline").asText()).isEqualTo("reviews");
        List<String> ids = new ArrayList<>();
        long lastBatch = first.get("last_batch_id").asLong();
        first.get("predictions").forEach(p -> ids.add(p.get("id").asText()));
        int accuracyPoints = first.get("accuracy").size();
        if (lastBatch < 12) { // the two commits may come as one wake-up or two
          JsonNode second = client.next("batch", WAIT).data();
          lastBatch = second.get("last_batch_id").asLong();
          second.get("predictions").forEach(p -> ids.add(p.get("id").asText()));
          accuracyPoints += second.get("accuracy").size();
          assertThat(second.get("words").get(0).get("word").asText()).isEqualTo("dull");
          assertThat(second.get("words").get(0).get("count").asLong()).isEqualTo(6);
        }
        assertThat(lastBatch).isEqualTo(12);
        assertThat(ids).containsExactlyInAnyOrder("s2", "s3", "s4").doesNotContain("s1");
        assertThat(accuracyPoints).isEqualTo(2);
      }
    } finally {
      clients.forEach(SseReader::close);
    }
  }

  @Test
  void aClientThatConnectsLaterStartsFromTheCurrentState() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (Connection c = server.jdbc()) {
      new PipelineRows(c)
          .commitBatch(20, Map.of("later", 1L), new Row("l1", "Later", "pos", 0.7, null, null));
    }
    awaitLastBatch(20);
    try (SseReader client = new SseReader(http, server.uri("/api/stream"))) {
      JsonNode snapshot = client.next("snapshot", WAIT).data();
      assertThat(snapshot.get("last_batch_id").asLong()).isEqualTo(20);
      assertThat(snapshot.get("predictions").get(0).get("id").asText()).isEqualTo("l1");
    }
  }

  private void awaitLastBatch(long batch) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try (SseReader probe = new SseReader(http, server.uri("/api/stream"))) {
        if (probe.next("snapshot", WAIT).data().get("last_batch_id").asLong() >= batch) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server never saw batch " + batch);
  }

  private void awaitMetric(String name, long atLeast) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (ReviewApiIT.counter(server.get("/metrics").body(), name) >= atLeast) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " never reached " + atLeast);
  }
}
