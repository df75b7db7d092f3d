package dev.sluice.spark.testpipelines;

import static org.apache.spark.sql.functions.col;

import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.StreamingJob;
import java.util.List;
import org.apache.spark.sql.streaming.StreamingQuery;

/** The {@link RealtimeDefinition} test pipeline's query, in the platform's real-time shape. */
public final class RealtimeJob implements SparkPipeline {
  /** Real-time mode's shortest checkpoint interval: a restart replays at most this much. */
  static final long CHECKPOINT_INTERVAL_MS = 5_000;

  static final String UPSERT =
      "INSERT INTO realtime_events (topic, kafka_partition, kafka_offset, key, doubled) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET key = EXCLUDED.key,"
          + " doubled = EXCLUDED.doubled";

  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    String query = RealtimeDefinition.NAME;
    return List.of(
        StreamingJob.startRealTime(
            context.realTimeKafkaStream(RealtimeDefinition.INPUT),
            new KeyedNumberDecoder("value", Long.MIN_VALUE),
            decoded -> decoded.withColumn("doubled", col("value").multiply(2)),
            UPSERT,
            (statement, row) -> {
              statement.setString(1, row.getString(row.fieldIndex("topic")));
              statement.setInt(2, row.getInt(row.fieldIndex("partition")));
              statement.setLong(3, row.getLong(row.fieldIndex("offset")));
              statement.setString(4, row.getString(row.fieldIndex("key")));
              statement.setLong(5, row.getLong(row.fieldIndex("doubled")));
            },
            context.database(),
            RealtimeDefinition.NAME,
            query,
            context.checkpoint(query),
            CHECKPOINT_INTERVAL_MS));
  }
}
