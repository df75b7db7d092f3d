package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
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
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/stream: every pipeline's status to every client; a pipeline's snapshot on connect, then
 * one update per committed batch, to the clients that follow that pipeline.
 */
class LiveStreamIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String REVIEWS_STREAM = "/api/stream?pipeline=reviews";
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
      // Batch 10 fanned out (other pipelines' feeds publish too, so no count of events says when),
      // and the probes that saw it gone: each client below connects to the state after it.
      awaitLastBatch(10);
      awaitClients(0);

      for (int i = 0; i < 3; i++) {
        clients.add(new SseReader(http, server.uri(REVIEWS_STREAM)));
      }
      for (SseReader client : clients) {
        assertThat(client.response().statusCode()).isEqualTo(200);
        assertThat(client.response().headers().firstValue("Content-Type"))
            .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        JsonNode event = client.next("snapshot", WAIT).data();
        assertThat(event.get("pipeline").asText()).isEqualTo("reviews");
        JsonNode snapshot = event.get("data");
        assertThat(snapshot.get("last_batch_id").asLong()).isEqualTo(10);
        assertThat(snapshot.get("predictions").get(0).get("excerpt").asText())
            .isEqualTo("A gripping <script>x</script> story");
        assertThat(snapshot.get("words").get(0).get("word").asText()).isEqualTo("gripping");
        assertThat(snapshot.get("accuracy")).hasSize(1);
      }
      assertThat(server.server().hub().clients()).isEqualTo(3);
      for (SseReader client : clients) {
        // The status row of batch 10, at connect or soon after, whichever came first.
        awaitReceived(
            client,
            e ->
                e.name().equals("pipelines")
                    && e.data().get("pipelines").size() == 1
                    && e.data().get("pipelines").get(0).get("name").asText().equals("reviews"));
      }

      rows.commitBatch(
          11,
          Map.of("dull", 5L),
          new Row("s2", "Dull", "neg", 0.88, "neg", 1),
          new Row("s3", "Fine", "pos", 0.6, null, 3));
      rows.commitBatch(12, Map.of("dull", 1L), new Row("s4", "Meh", "neg", 0.55, "pos", null));

      for (SseReader client : clients) {
        JsonNode event = client.next("batch", WAIT).data();
        assertThat(event.get("pipeline").asText()).isEqualTo("reviews");
        assertThat(event.get("batches").get(0).asLong()).isEqualTo(11);
        JsonNode first = event.get("data");
        List<String> ids = new ArrayList<>();
        long lastBatch = first.get("last_batch_id").asLong();
        first.get("predictions").forEach(p -> ids.add(p.get("id").asText()));
        int accuracyPoints = first.get("accuracy").size();
        if (lastBatch < 12) { // the two commits may come as one wake-up or two
          JsonNode second = client.next("batch", WAIT).data().get("data");
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
    // Written by an executor for batch 21, which the ledger has not committed: not live yet.
    try (Connection c = server.jdbc();
        var s =
            c.prepareStatement(
                "INSERT INTO predictions VALUES ('reviews', 1, 0, 'u1', 21, 'not yet', 'pos', 0.6,"
                    + " null, null, now())")) {
      s.executeUpdate();
    }
    try (SseReader client = new SseReader(http, server.uri(REVIEWS_STREAM))) {
      JsonNode snapshot = client.next("snapshot", WAIT).data().get("data");
      assertThat(snapshot.get("last_batch_id").asLong()).isEqualTo(20);
      assertThat(snapshot.get("predictions")).hasSize(1);
      assertThat(snapshot.get("predictions").get(0).get("id").asText()).isEqualTo("l1");
    }
    try (SseReader client = new SseReader(http, server.uri(REVIEWS_STREAM));
        Connection c = server.jdbc()) {
      client.next("snapshot", WAIT);
      new PipelineRows(c)
          .commitBatch(22, Map.of("next", 1L), new Row("n1", "Next", "pos", 0.7, null, null));
      JsonNode change = client.next("batch", WAIT).data().get("data");
      List<String> ids = new ArrayList<>();
      change.get("predictions").forEach(p -> ids.add(p.get("id").asText()));
      // Batch 21 was never committed: its row stays out even once a later batch is.
      assertThat(ids).contains("n1");
      assertThat(ids).as("rows of batch 21, which the ledger lacks").doesNotContain("u1");
      assertThat(server.get("/api/predictions/u1").statusCode()).isEqualTo(404);
      assertThat(server.get("/api/predictions").body()).contains("\"n1\"").doesNotContain("\"u1\"");
    }
  }

  @Test
  void aStreamWithoutAPipelineGetsTheStatusesButNoPipelinesData() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (SseReader overview = new SseReader(http, server.uri("/api/stream"));
        SseReader reviews = new SseReader(http, server.uri(REVIEWS_STREAM))) {
      assertThat(overview.next("pipelines", WAIT).data().get("pipelines").isArray()).isTrue();
      reviews.next("snapshot", WAIT);
      try (Connection c = server.jdbc()) {
        new PipelineRows(c)
            .commitBatch(30, Map.of("solo", 1L), new Row("o1", "Solo", "pos", 0.8, null, null));
      }
      reviews.next("batch", WAIT);
      // The status row the batch wrote reaches both; the batch itself only the reviews stream.
      SseReader.Event status = overview.next("pipelines", WAIT);
      assertThat(status.data().get("pipelines").get(0).get("last_batch_id").asLong()).isEqualTo(30);
      assertThat(overview.received()).extracting(SseReader.Event::name).containsOnly("pipelines");
    }
  }

  @Test
  void aPipelinesFailureTextReachesOnlyStreamsThatSentTheToken() throws Exception {
    String failure = "org.apache.spark.SparkException: schema mismatch in /srv/private/table";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (SseReader open = new SseReader(http, server.uri("/api/stream"));
        SseReader authenticated = new SseReader(http, server.uri("/api/stream"), server.token())) {
      try (Connection c = server.jdbc();
          var s =
              c.prepareStatement(
                  "INSERT INTO pipelines (name, state, detail, started_at, updated_at)"
                      + " VALUES ('windows', 'FAILED', ?, now(), now())")) {
        s.setString(1, failure);
        s.executeUpdate();
      }
      Predicate<SseReader.Event> failed =
          e -> e.name().equals("pipelines") && e.raw().contains("\"FAILED\"");

      assertThat(open.next(failed, WAIT).raw())
          .contains("withheld")
          .doesNotContain("SparkException")
          .doesNotContain("/srv/private");
      assertThat(authenticated.next(failed, WAIT).raw()).contains(failure);
    }
  }

  @Test
  void aStreamWithAWrongTokenIsRefused() {
    var answer =
        server.send(
            java.net.http.HttpRequest.newBuilder(server.uri("/api/stream"))
                .header("Authorization", "Bearer wrong")
                .build());
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
  }

  @Test
  void aStreamForAPipelineWithoutLiveUpdatesIsANotFoundProblem() {
    var answer = server.get("/api/stream?pipeline=nope");
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
    // Every registered pipeline with a server part (each has a live feed) is named, in order.
    String withFeeds =
        Pipelines.registered().all().stream()
            .filter(pipeline -> pipeline.serverPart().isPresent())
            .map(PipelineDefinition::name)
            .sorted()
            .collect(Collectors.joining(", "));
    assertThat(withFeeds).contains("calls", "revenue", "reviews", "security");
    assertThat(answer.body())
        .contains(
            "no live updates for pipeline 'nope': pipelines with live updates are " + withFeeds);
  }

  private void awaitLastBatch(long batch) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try (SseReader probe = new SseReader(http, server.uri(REVIEWS_STREAM))) {
        if (probe.next("snapshot", WAIT).data().get("data").get("last_batch_id").asLong()
            >= batch) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server never saw batch " + batch);
  }

  /**
   * A stream that closed leaves the hub at the next write to it: the server's heartbeat, every 15
   * s, at the latest.
   */
  private void awaitClients(int clients) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
    while (server.server().hub().clients() != clients) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the hub still counts " + server.server().hub().clients() + " streams, not " + clients);
      }
      Thread.sleep(50);
    }
  }

  private static void awaitReceived(SseReader client, Predicate<SseReader.Event> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (client.received().stream().noneMatch(wanted)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not received within " + WAIT + ": " + client.received());
      }
      Thread.sleep(50);
    }
  }
}
