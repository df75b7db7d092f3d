package dev.sluice.spark.testpipelines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.BatchLedger;
import dev.sluice.spark.stream.DecodeOrQuarantine;
import dev.sluice.spark.stream.ExecutorJdbcWriter;
import dev.sluice.spark.stream.LedgeredSink;
import dev.sluice.spark.stream.QuarantineWriter;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.storage.StorageLevel;

/** The {@link TallyDefinition} test pipeline's query, built only from the platform's shapes. */
public final class TallyJob implements SparkPipeline {
  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    String query = TallyDefinition.NAME;
    BatchLedger ledger = context.ledger(query);
    return List.of(
        StreamingJob.start(
            context.kafkaStream(query, TallyDefinition.INPUT),
            TallyJob::transform,
            new Sink(context.database(), ledger),
            ledger,
            context.checkpoint(query),
            context.trigger()));
  }

  static Batch transform(Dataset<Row> kafkaRecords) {
    return new Batch(
        DecodeOrQuarantine.decode(kafkaRecords, new KeyedNumberDecoder("amount", Long.MIN_VALUE))
            .persist(StorageLevel.MEMORY_AND_DISK()));
  }

  record Batch(Dataset<Row> decoded) implements StreamingJob.BatchResults {
    @Override
    public void close() {
      decoded.unpersist();
    }
  }

  record Totals(long records, long quarantined) {}

  static final class Sink extends LedgeredSink<Batch, Totals> {
    static final String UPSERT_EVENT =
        "INSERT INTO tally_events (topic, kafka_partition, kafka_offset, key, amount, batch_id) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET key = EXCLUDED.key,"
            + " amount = EXCLUDED.amount, batch_id = EXCLUDED.batch_id";
    static final String ADD_TOTAL =
        "INSERT INTO tally_totals (key, amount, events) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE"
            + " SET amount = tally_totals.amount + EXCLUDED.amount, events = tally_totals.events + EXCLUDED.events";

    private final Database database;

    Sink(Database database, BatchLedger ledger) {
      super(ledger);
      this.database = database;
    }

    @Override
    protected List<Runnable> perRecordWrites(long seq, Batch batch) {
      return List.of(
          () ->
              QuarantineWriter.write(
                  DecodeOrQuarantine.rejected(batch.decoded()),
                  database,
                  TallyDefinition.NAME,
                  seq),
          () ->
              ExecutorJdbcWriter.write(
                  batch
                      .decoded()
                      .where(DecodeOrQuarantine.isDecoded())
                      .select("topic", "partition", "offset", "key", "amount"),
                  database,
                  UPSERT_EVENT,
                  (statement, row) -> {
                    statement.setString(1, row.getString(0));
                    statement.setInt(2, row.getInt(1));
                    statement.setLong(3, row.getLong(2));
                    statement.setString(4, row.getString(3));
                    statement.setLong(5, row.getLong(4));
                    statement.setLong(6, seq);
                  }));
    }

    @Override
    protected Totals totals(Batch batch) {
      Row row =
          batch
              .decoded()
              .agg(count("*"), sum(when(DecodeOrQuarantine.isDecoded(), 0).otherwise(1)))
              .first();
      return new Totals(row.getLong(0), row.isNullAt(1) ? 0 : row.getLong(1));
    }

    @Override
    protected BatchLedger.BatchCounts counts(Totals totals) {
      return new BatchLedger.BatchCounts(totals.records(), totals.quarantined());
    }

    @Override
    protected void applyCumulative(Connection connection, long seq, Batch batch, Totals totals)
        throws SQLException {
      Iterator<Row> sums =
          batch
              .decoded()
              .where(DecodeOrQuarantine.isDecoded())
              .groupBy("key")
              .agg(sum("amount"), count("*"))
              .orderBy(col("key"))
              .toLocalIterator();
      try (PreparedStatement add = connection.prepareStatement(ADD_TOTAL)) {
        while (sums.hasNext()) {
          Row row = sums.next();
          add.setString(1, row.getString(0));
          add.setLong(2, row.getLong(1));
          add.setLong(3, row.getLong(2));
          add.addBatch();
        }
        add.executeBatch();
      }
    }
  }
}
