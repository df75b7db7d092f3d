package dev.sluice.core.reviews;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reviews pipeline: word counts and sentiment of review events, with running accuracy. Input:
 * topic {@value #TOPIC} ({@link ReviewCodec}); outputs: tables {@code word_counts}, {@code
 * predictions}, {@code accuracy}; exactly once through the batch ledger.
 */
public final class ReviewsDefinition implements PipelineDefinition {
  public static final String NAME = "reviews";

  /** Review events (JSON, UTF-8), keyed by review id. */
  public static final String TOPIC = "reviews";

  public static final InputTopic INPUT = InputTopic.of(TOPIC, 4);

  /** How many of the most frequent words the status line shows. */
  static final int STATUS_TOP_WORDS = 5;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "word counts and sentiment of reviews (MLlib model), with running accuracy";
  }

  @Override
  public List<InputTopic> inputs() {
    return List.of(INPUT);
  }

  @Override
  public boolean needsSentimentModel() {
    return true;
  }

  @Override
  public String sparkJob() {
    return "dev.sluice.spark.reviews.ReviewsJob";
  }

  @Override
  public Optional<String> producer() {
    return Optional.of("dev.sluice.loadgen.reviews.ReviewsProducer");
  }

  @Override
  public Optional<String> serverPart() {
    return Optional.of("dev.sluice.server.reviews.ReviewsServerPart");
  }

  @Override
  public Optional<String> benchmark() {
    return Optional.of("dev.sluice.bench.reviews.ReviewsBenchmark");
  }

  /** At the demo's 2,000 reviews/s, days of streaming, replaying the held-out reviews. */
  @Override
  public List<String> demoProducerArgs() {
    return List.of("--count", "1000000000");
  }

  @Override
  public List<String> statusDetails(Connection connection) throws SQLException {
    List<String> details = new ArrayList<>(2);
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT total, accuracy FROM accuracy ORDER BY batch_id DESC LIMIT 1");
        ResultSet row = statement.executeQuery()) {
      String accuracy = "accuracy n/a";
      if (row.next()) {
        double value = row.getDouble(2);
        // Null until a review with a known label arrives.
        if (!row.wasNull()) {
          accuracy = String.format(Locale.ROOT, "accuracy %.3f of %,d", value, row.getLong(1));
        }
      }
      details.add(accuracy);
    }
    List<String> top = new ArrayList<>(STATUS_TOP_WORDS);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT word FROM word_counts ORDER BY count DESC, word LIMIT ?")) {
      statement.setInt(1, STATUS_TOP_WORDS);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          top.add(rows.getString(1));
        }
      }
    }
    details.add("top: " + (top.isEmpty() ? "-" : String.join(", ", top)));
    return details;
  }
}
