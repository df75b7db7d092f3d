package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The demo's status line of a pipeline that runs several ledgered queries over the same inputs. */
class StatusLineIT {
  @Test
  void aPipelineIsAsFarAsItsSlowestQueryAndCountsARejectedRecordOnce() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    try (Connection connection = new Database(platform.dbUrl(), platform.dbUser(), null).connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA status_line");
    }
    Database database =
        new Database(
            platform.dbUrl()
                + (platform.dbUrl().contains("?") ? "&" : "?")
                + "currentSchema=status_line",
            platform.dbUser(),
            null);
    database.migrate();
    PipelineDefinition security = Pipelines.registered().require(SecurityDefinition.NAME);
    try (Connection connection = database.connect()) {
      // Both flood and traffic queries read every record; the traffic query is behind.
      ledger(connection, "security-floods", 0, 100, 1);
      ledger(connection, "security-floods", 1, 90, 1);
      ledger(connection, "security-traffic", 0, 150, 2);
    }
    StatusLine status;
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      for (InputTopic input : security.inputs()) {
        topics.ensure(input.name(), 1);
      }
      status = StatusLine.read(security, database, topics);
    }

    assertThat(status.processed()).isEqualTo(150);
    assertThat(status.quarantined()).isEqualTo(2);
  }

  private static void ledger(
      Connection connection, String query, long batchId, long records, long quarantined)
      throws Exception {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, end_offsets,"
                + " records, quarantined, started_at)"
                + " VALUES ('security', ?, ?, ?, ?, '{}', ?, ?, now())")) {
      insert.setString(1, query);
      insert.setString(2, "checkpoint of " + query);
      insert.setLong(3, batchId);
      insert.setLong(4, batchId);
      insert.setLong(5, records);
      insert.setLong(6, quarantined);
      insert.executeUpdate();
    }
  }
}
