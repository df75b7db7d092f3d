package dev.sluice.server;

import static dev.sluice.server.ReviewApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.support.PipelineRows;
import dev.sluice.server.support.PipelineRows.Row;
import dev.sluice.server.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read endpoints, on rows written to the server's own schema as the pipeline writes them. */
class ReadApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAILURE =
      "org.apache.spark.SparkException: cannot read /home/ops/.sluice/models/x (db 10.1.2.3:5432)";
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Optional.empty());
    try (Connection c = server.jdbc()) {
      PipelineRows rows = new PipelineRows(c);
      Map<String, Long> words = new LinkedHashMap<>();
      for (int i = 0; i < 150; i++) {
        words.put("word" + String.format("%03d", i), 1000L - i);
      }
      words.put("tie-b", 500L);
      words.put("tie-a", 500L);
      rows.commitBatch(
          0,
          words,
          new Row("a", "first <b>bold</b>", "pos", 0.9, "pos", 5),
          new Row("b", "second", "neg", 0.8, "pos", null));
      List<Row> many = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        many.add(
            new Row(
                "m" + i,
                "many " + i,
                i % 2 == 0 ? "pos" : "neg",
                0.75,
                i % 3 == 0 ? null : "neg",
                null));
      }
      rows.commitBatch(1, Map.of("word000", 5L), many.toArray(Row[]::new));
      // A failed query's status: its detail is Spark's failure text.
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO pipelines (name, state, detail, started_at, updated_at)"
                  + " VALUES ('windows', 'FAILED', ?, now(), now())")) {
        s.setString(1, FAILURE);
        s.executeUpdate();
      }
      // Its ledger: a query of a pipeline of another name, as when a pipeline runs several.
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, end_offsets,"
                  + " records, quarantined, started_at)"
                  + " VALUES ('tests', 'windows', 'test-checkpoint', 0, 0, '{}', 40, 3, now())")) {
        s.executeUpdate();
      }
      // Written by executors before the batch commits: never shown until the ledger says so.
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO predictions VALUES ('reviews', 3, 0, 'uncommitted', 2, 'not yet', 'pos', 0.6, null, null, now())")) {
        s.executeUpdate();
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void topWordsAreOrderedByCountThenWordAndLimited() throws Exception {
    JsonNode words = json(server.get("/api/words/top?limit=3")).get("words");
    assertThat(words).hasSize(3);
    assertThat(words.get(0).get("word").asText()).isEqualTo("word000");
    assertThat(words.get(0).get("count").asLong()).isEqualTo(1005);
    assertThat(words.get(1).get("word").asText()).isEqualTo("word001");

    JsonNode all = json(server.get("/api/words/top?limit=1000")).get("words");
    assertThat(all).hasSize(152);
    List<String> ties = new ArrayList<>();
    all.forEach(
        w -> {
          if (w.get("count").asLong() == 500) {
            ties.add(w.get("word").asText());
          }
        });
    assertThat(ties).containsExactly("tie-a", "tie-b");
  }

  @Test
  void topWordsDefaultsToOneHundred() throws Exception {
    assertThat(json(server.get("/api/words/top")).get("words")).hasSize(100);
  }

  @Test
  void predictionsAreNewestFirstFromCommittedBatchesOnly() throws Exception {
    JsonNode predictions = json(server.get("/api/predictions?limit=1000")).get("predictions");
    assertThat(predictions).hasSize(122);
    assertThat(predictions.get(0).get("id").asText()).isEqualTo("m119");
    assertThat(predictions.get(0).get("batch_id").asLong()).isEqualTo(1);
    assertThat(predictions.get(120).get("id").asText()).isEqualTo("b");
    assertThat(predictions.get(121).get("id").asText()).isEqualTo("a");
    predictions.forEach(p -> assertThat(p.get("id").asText()).isNotEqualTo("uncommitted"));

    JsonNode first = json(server.get("/api/predictions/a"));
    assertThat(first.get("excerpt").asText()).isEqualTo("first <b>bold</b>");
    assertThat(first.get("predicted").asText()).isEqualTo("pos");
    assertThat(first.get("truth").asText()).isEqualTo("pos");
    assertThat(first.get("score").asInt()).isEqualTo(5);
    assertThat(first.get("probability").asDouble()).isEqualTo(0.9);
    assertThat(first.get("kafka_ts").asText()).endsWith("Z");
    assertThat(json(server.get("/api/predictions/b")).get("score").isNull()).isTrue();
    // A row of a batch the ledger has not committed is not there yet, by id either.
    HttpResponse<String> uncommitted = server.get("/api/predictions/uncommitted");
    assertThat(uncommitted.statusCode()).isEqualTo(404);
    assertThat(uncommitted.body()).contains("no prediction for review id 'uncommitted' yet");
  }

  @Test
  void predictionsDefaultToOneHundred() throws Exception {
    assertThat(json(server.get("/api/predictions")).get("predictions")).hasSize(100);
  }

  @Test
  void unknownPredictionIs404() throws Exception {
    assertProblem(
        server.get("/api/predictions/nope"), 404, "no prediction for review id 'nope' yet");
  }

  @Test
  void accuracyIsOneCumulativePointPerBatchOldestFirst() throws Exception {
    JsonNode points = json(server.get("/api/accuracy")).get("accuracy");
    assertThat(points).hasSize(2);
    assertThat(points.get(0).get("batch_id").asLong()).isEqualTo(0);
    assertThat(points.get(0).get("reviews").asLong()).isEqualTo(2);
    assertThat(points.get(0).get("total").asLong()).isEqualTo(2);
    assertThat(points.get(0).get("correct").asLong()).isEqualTo(1);
    assertThat(points.get(0).get("accuracy").asDouble()).isEqualTo(0.5);
    assertThat(points.get(1).get("reviews").asLong()).isEqualTo(122);

    JsonNode newest = json(server.get("/api/accuracy?limit=1")).get("accuracy");
    assertThat(newest).hasSize(1);
    assertThat(newest.get(0).get("batch_id").asLong()).isEqualTo(1);
  }

  @Test
  void pipelinesShowStatusAndLedgerTotals() throws Exception {
    JsonNode body = json(server.get("/api/pipelines"));
    assertThat(body.get("now").asText()).endsWith("Z");
    JsonNode reviews = body.get("pipelines").get(0);
    assertThat(reviews.get("name").asText()).isEqualTo("reviews");
    assertThat(reviews.get("state").asText()).isEqualTo("RUNNING");
    assertThat(reviews.get("last_batch_id").asLong()).isEqualTo(1);
    assertThat(reviews.get("last_batch_duration_ms").asLong()).isEqualTo(250);
    assertThat(reviews.get("input_rows_per_second").asDouble()).isEqualTo(120.5);
    assertThat(reviews.get("processed_rows_per_second").asDouble()).isEqualTo(130.25);
    assertThat(reviews.get("kafka_lag").asLong()).isEqualTo(7);
    assertThat(reviews.get("batches").asLong()).isEqualTo(2);
    assertThat(reviews.get("records").asLong()).isEqualTo(2 + 1 + 120 + 1);
    assertThat(reviews.get("quarantined").asLong()).isEqualTo(2);
    assertThat(reviews.get("last_committed_at").asText()).endsWith("Z");
  }

  @Test
  void aPipelinesFailureTextIsShownOnlyWithTheToken() throws Exception {
    JsonNode open = json(server.get("/api/pipelines")).get("pipelines").get(1);
    assertThat(open.get("name").asText()).isEqualTo("windows");
    assertThat(open.get("state").asText()).isEqualTo("FAILED");
    assertThat(open.get("records").asLong())
        .as("a query's own ledger, whatever its pipeline's name")
        .isEqualTo(40);
    assertThat(open.get("quarantined").asLong()).isEqualTo(3);
    assertThat(open.get("detail").asText()).startsWith("withheld").doesNotContain("Spark");
    assertThat(server.get("/api/pipelines").body()).doesNotContain("10.1.2.3");

    JsonNode authenticated =
        json(server.send(
                HttpRequest.newBuilder(server.uri("/api/pipelines"))
                    .header("Authorization", "Bearer " + server.token())
                    .build()))
            .get("pipelines")
            .get(1);
    assertThat(authenticated.get("detail").asText()).isEqualTo(FAILURE);

    assertProblem(
        server.send(
            HttpRequest.newBuilder(server.uri("/api/pipelines"))
                .header("Authorization", "Bearer not-the-token")
                .build()),
        401,
        "the bearer token is wrong");
  }

  @Test
  void badLimitsAre400() throws Exception {
    assertProblem(
        server.get("/api/words/top?limit=0"),
        400,
        "limit must be a whole number from 1 to 1000, got '0'");
    assertProblem(server.get("/api/words/top?limit=1001"), 400, "from 1 to 1000");
    assertProblem(server.get("/api/predictions?limit=ten"), 400, "got 'ten'");
    assertProblem(server.get("/api/accuracy?limit=-5"), 400, "from 1 to 10000");
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return JSON.readTree(response.body());
  }
}
