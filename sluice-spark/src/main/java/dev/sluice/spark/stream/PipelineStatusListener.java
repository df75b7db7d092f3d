package dev.sluice.spark.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the health of streaming queries to the {@code pipelines} table (a row per query) after
 * every micro-batch: state, input and processing rates, last batch duration, and Kafka lag (records
 * in the topic not yet read when the batch ended). A failure to publish is logged, never fatal:
 * status is not worth stopping the pipeline for.
 */
public final class PipelineStatusListener extends StreamingQueryListener {
  private static final Logger log = LoggerFactory.getLogger(PipelineStatusListener.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final java.util.concurrent.atomic.AtomicBoolean publishing =
      new java.util.concurrent.atomic.AtomicBoolean(true);
  private final Database database;
  private final Set<String> queries;

  /** The names of the started queries by id: Spark's termination event carries only the id. */
  private final Map<UUID, String> names = new ConcurrentHashMap<>();

  private final Instant startedAt = Instant.now();

  /** Records ever written to a topic, asked of the brokers; null to use Spark's figures alone. */
  private final ToLongFunction<String> endOffsetSum;

  /**
   * @param queries the names of the queries whose status this listener publishes, each under its
   *     own name; other queries of the application are left alone
   */
  public PipelineStatusListener(Database database, Collection<String> queries) {
    this(database, queries, null);
  }

  /**
   * @param endOffsetSum records ever written to a topic, asked of the brokers when a batch ends
   *     (e.g. {@code KafkaTopics::endOffsetSum}, with a short timeout: it runs on Spark's listener
   *     thread); when it fails, the lag is Spark's figure from when the batch was planned
   */
  public PipelineStatusListener(
      Database database, Collection<String> queries, ToLongFunction<String> endOffsetSum) {
    this.database = database;
    this.queries = Set.copyOf(queries);
    this.endOffsetSum = endOffsetSum;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    if (queries.contains(event.name())) {
      names.put(event.id(), event.name());
      update(event.name(), "running", null, null);
      forgetProgress(event.name());
    }
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress progress = event.progress();
    if (queries.contains(progress.name())) {
      update(progress.name(), "running", null, progress);
    }
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    String name = names.remove(event.id());
    if (name == null) {
      return;
    }
    if (event.exception().isDefined()) {
      update(name, "failed", event.exception().get(), null);
    } else {
      update(name, "stopped", null, null);
    }
  }

  /**
   * Records not yet read when the batch ended: per topic, the records written so far ({@code
   * endOffsetSum}) minus the batch's end offsets.
   *
   * <p>Spark's own figure is the latest offsets when the batch was planned, and it says 0 whenever
   * a batch took all there was, however long the batch then ran and however much arrived meanwhile:
   * in the demo on two cores, 0 beside a backlog of 26,000 records. It is the fallback when the
   * brokers do not answer, or when there is no {@code endOffsetSum}.
   */
  static Long kafkaLag(StreamingQueryProgress progress, ToLongFunction<String> endOffsetSum) {
    long lag = 0;
    for (SourceProgress source : progress.sources()) {
      Long sourceLag = kafkaLag(source.endOffset(), source.latestOffset(), endOffsetSum);
      if (sourceLag == null) {
        return null;
      }
      lag += sourceLag;
    }
    return lag;
  }

  /**
   * One source's lag, from its offsets as Spark reports them (JSON by topic and partition).
   *
   * @return null when not known
   */
  static Long kafkaLag(String endOffset, String latestOffset, ToLongFunction<String> endOffsetSum) {
    if (endOffset == null) {
      return null;
    }
    try {
      JsonNode end = JSON.readTree(endOffset);
      OptionalLong atTheBrokers = lagAtTheBrokers(end, endOffsetSum);
      if (atTheBrokers.isPresent()) {
        return atTheBrokers.getAsLong();
      }
      if (latestOffset == null) {
        return null;
      }
      return Math.max(0, offsetSum(JSON.readTree(latestOffset)) - offsetSum(end));
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** The records of the source's topics past its end offsets, now; empty when not known. */
  private static OptionalLong lagAtTheBrokers(
      JsonNode endOffsets, ToLongFunction<String> endOffsetSum) {
    if (endOffsetSum == null) {
      return OptionalLong.empty();
    }
    long lag = 0;
    for (Iterator<Map.Entry<String, JsonNode>> topics = endOffsets.fields(); topics.hasNext(); ) {
      Map.Entry<String, JsonNode> topic = topics.next();
      long read = 0;
      for (Iterator<JsonNode> partitions = topic.getValue().elements(); partitions.hasNext(); ) {
        read += partitions.next().asLong();
      }
      try {
        lag += Math.max(0, endOffsetSum.applyAsLong(topic.getKey()) - read);
      } catch (RuntimeException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(lag);
  }

  private static long offsetSum(JsonNode offsets) {
    long sum = 0;
    for (Iterator<JsonNode> topics = offsets.elements(); topics.hasNext(); ) {
      for (Iterator<JsonNode> partitions = topics.next().elements(); partitions.hasNext(); ) {
        sum += partitions.next().asLong();
      }
    }
    return sum;
  }

  private void update(String query, String state, String detail, StreamingQueryProgress progress) {
    String sql =
        progress == null
            ? "INSERT INTO pipelines (name, state, detail, started_at, updated_at) VALUES (?, ?, ?, ?, now())"
                + " ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, detail = EXCLUDED.detail,"
                + " started_at = EXCLUDED.started_at, updated_at = now()"
            : "INSERT INTO pipelines (name, state, detail, started_at, updated_at, last_batch_id, last_batch_duration_ms,"
                + " input_rows_per_second, processed_rows_per_second, kafka_lag) VALUES (?, ?, ?, ?, now(), ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, detail = EXCLUDED.detail, updated_at = now(),"
                + " last_batch_id = EXCLUDED.last_batch_id, last_batch_duration_ms = EXCLUDED.last_batch_duration_ms,"
                + " input_rows_per_second = EXCLUDED.input_rows_per_second,"
                + " processed_rows_per_second = EXCLUDED.processed_rows_per_second, kafka_lag = EXCLUDED.kafka_lag";
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, query);
      statement.setString(2, state);
      statement.setString(
          3, detail == null ? null : detail.substring(0, Math.min(detail.length(), 2000)));
      statement.setTimestamp(4, Timestamp.from(startedAt));
      if (progress != null) {
        statement.setLong(5, progress.batchId());
        Long duration = progress.durationMs().get("triggerExecution");
        setLong(statement, 6, duration);
        statement.setDouble(7, finite(progress.inputRowsPerSecond()));
        statement.setDouble(8, finite(progress.processedRowsPerSecond()));
        setLong(statement, 9, kafkaLag(progress, endOffsetSum));
      }
      statement.executeUpdate();
      publishing.set(true);
    } catch (SQLException e) {
      cannotPublish(query, e);
    }
  }

  /**
   * While the database is away every status fails: one warning until a status gets through, the
   * pipeline's own outage line says the rest.
   */
  private void cannotPublish(String query, SQLException e) {
    if (publishing.getAndSet(false)) {
      log.warn(
          "cannot publish the status of {} until the database answers: {}", query, e.getMessage());
    }
  }

  /**
   * A new run has made no progress yet: the figures of the previous run go, so that a status with a
   * batch id says this run has completed a trigger (the demo starts its producers on that).
   */
  private void forgetProgress(String query) {
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "UPDATE pipelines SET last_batch_id = NULL, last_batch_duration_ms = NULL,"
                    + " input_rows_per_second = NULL, processed_rows_per_second = NULL,"
                    + " kafka_lag = NULL WHERE name = ?")) {
      statement.setString(1, query);
      statement.executeUpdate();
      publishing.set(true);
    } catch (SQLException e) {
      cannotPublish(query, e);
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static double finite(double value) {
    return Double.isFinite(value) ? value : 0.0;
  }
}
