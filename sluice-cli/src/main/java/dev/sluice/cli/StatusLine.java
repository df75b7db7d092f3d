package dev.sluice.cli;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pipeline at a glance, as the demo prints it every few seconds: the platform's figures from the
 * topics and the batch ledger, then what the pipeline itself reports ({@link
 * PipelineDefinition#statusDetails}).
 *
 * @param pipeline the pipeline's name
 * @param recordsIn records ever written to its input topics
 * @param processed records its slowest ledgered query has committed, quarantined ones included
 * @param quarantined records rejected as malformed (by any of its queries, each counted once)
 * @param details the pipeline's own figures, e.g. {@code accuracy 0.903 of 1,204}
 */
record StatusLine(
    String pipeline, long recordsIn, long processed, long quarantined, List<String> details) {

  long lag() {
    return Math.max(0, recordsIn - processed);
  }

  String line() {
    List<String> parts = new ArrayList<>();
    parts.add(pipeline);
    parts.add(String.format(Locale.ROOT, "in %,d", recordsIn));
    parts.add(String.format(Locale.ROOT, "processed %,d", processed));
    parts.add(String.format(Locale.ROOT, "lag %,d", lag()));
    parts.add(String.format(Locale.ROOT, "quarantined %,d", quarantined));
    parts.addAll(details);
    return String.join(" | ", parts);
  }

  static StatusLine read(PipelineDefinition pipeline, Database database, KafkaTopics topics)
      throws SQLException {
    long recordsIn = 0;
    for (InputTopic input : pipeline.inputs()) {
      recordsIn += topics.endOffsetSum(input.name());
    }
    try (Connection connection = database.connect()) {
      long processed;
      long quarantined;
      try (PreparedStatement statement =
          // Each ledgered query reads every record of the pipeline's inputs: the pipeline is as far
          // as its slowest query, and a malformed record is one, however many queries rejected it.
          connection.prepareStatement(
              "SELECT coalesce(min(records), 0), coalesce(max(quarantined), 0) FROM ("
                  + " SELECT sum(records) AS records, sum(quarantined) AS quarantined"
                  + " FROM pipeline_batches WHERE pipeline = ? GROUP BY query) per_query")) {
        statement.setString(1, pipeline.name());
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          processed = row.getLong(1);
          quarantined = row.getLong(2);
        }
      }
      return new StatusLine(
          pipeline.name(), recordsIn, processed, quarantined, pipeline.statusDetails(connection));
    }
  }
}
