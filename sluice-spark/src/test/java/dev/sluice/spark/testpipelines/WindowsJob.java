package dev.sluice.spark.testpipelines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.window;

import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.ExecutorJdbcWriter;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.Database;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

/** The {@link WindowsDefinition} test pipeline's query, in the platform's stateful shape. */
public final class WindowsJob implements SparkPipeline {
  static final String WATERMARK = "10 seconds";
  static final String WINDOW = "1 minute";

  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    String query = WindowsDefinition.NAME;
    return List.of(
        StreamingJob.startStateful(
            context.statefulKafkaStream(query, WindowsDefinition.INPUT),
            new KeyedNumberDecoder("ts", 0),
            WindowsJob::countPerMinute,
            OutputMode.Append(),
            new Sink(context.database()),
            context.database(),
            context.ledger(query),
            context.checkpoint(query),
            context.trigger()));
  }

  /** Events per key and minute of event time; a window is emitted once the watermark passed it. */
  static Dataset<Row> countPerMinute(Dataset<Row> events) {
    return events
        .withColumn("event_time", timestamp_millis(col("ts")))
        .withWatermark("event_time", WATERMARK)
        .groupBy(window(col("event_time"), WINDOW), col("key"))
        .agg(count("*").as("events"))
        .select(col("window.start").as("window_start"), col("key"), col("events"));
  }

  static final class Sink implements StreamingJob.StateOutputSink {
    static final String UPSERT =
        "INSERT INTO window_counts (window_start, key, events, batch_id) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (window_start, key) DO UPDATE SET events = EXCLUDED.events, batch_id = EXCLUDED.batch_id";

    private final Database database;

    Sink(Database database) {
      this.database = database;
    }

    @Override
    public void write(long seq, Dataset<Row> output) {
      ExecutorJdbcWriter.write(
          output,
          database,
          UPSERT,
          (statement, row) -> {
            statement.setTimestamp(1, row.getTimestamp(0));
            statement.setString(2, row.getString(1));
            statement.setLong(3, row.getLong(2));
            statement.setLong(4, seq);
          });
    }
  }
}
