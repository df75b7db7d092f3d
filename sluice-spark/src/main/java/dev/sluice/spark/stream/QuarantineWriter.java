package dev.sluice.spark.stream;

import static org.apache.spark.sql.functions.col;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Stores rejected records in {@code quarantine}, from the executors, as upserts keyed by pipeline
 * and Kafka coordinates: a replayed batch writes the same rows again and changes nothing.
 */
public final class QuarantineWriter {
  static final String UPSERT =
      "INSERT INTO quarantine (pipeline, topic, kafka_partition, kafka_offset, batch_id, reason, raw_prefix, raw_length, kafka_ts)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (pipeline, topic, kafka_partition, kafka_offset) DO UPDATE SET batch_id = EXCLUDED.batch_id,"
          + " reason = EXCLUDED.reason, raw_prefix = EXCLUDED.raw_prefix, raw_length = EXCLUDED.raw_length,"
          + " kafka_ts = EXCLUDED.kafka_ts";

  /**
   * A rejected record seen on the way, before its batch commits (batch id -1 until claimed). A
   * replay of a committed batch sees the record again; the row it has keeps its claim.
   */
  static final String INSERT_UNCLAIMED =
      "INSERT INTO quarantine (pipeline, topic, kafka_partition, kafka_offset, batch_id, reason, raw_prefix, raw_length, kafka_ts)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline, topic, kafka_partition, kafka_offset) DO NOTHING";

  private QuarantineWriter() {}

  /**
   * @param rejected rows of {@link DecodeOrQuarantine#rejected}, in its column order
   * @param seq the batch's ledger seq
   */
  public static void write(Dataset<Row> rejected, Database database, String pipeline, long seq) {
    ExecutorJdbcWriter.write(
        rejected,
        database,
        UPSERT,
        (statement, row) -> {
          statement.setString(1, pipeline);
          statement.setString(2, row.getString(0));
          statement.setInt(3, row.getInt(1));
          statement.setLong(4, row.getLong(2));
          statement.setLong(5, seq);
          statement.setString(6, row.getString(3));
          statement.setBytes(7, (byte[]) row.get(4));
          statement.setInt(8, row.getInt(5));
          statement.setTimestamp(9, row.getTimestamp(6));
        });
  }

  /**
   * Decode-or-quarantine for a streaming read, its rejected records quarantined on the way, by the
   * executors, as the batch runs: the stateful and folding shapes', whose sinks see only what the
   * streaming stages emit. Rows are written with batch id -1; the batch's commit claims them with
   * {@link #claim}. Upserts keyed by Kafka coordinates make a rerun harmless.
   *
   * <p>One pass over each partition decodes ({@link DecodeOrQuarantine#decodeEach}), claims the
   * records' ids ({@link RecordIds}) and quarantines, between reading the records and handing the
   * decoded ones on: each record crosses from Spark's rows to Java objects and back once. As {@link
   * DecodeOrQuarantine#decode} followed by a pass of its own, it crossed three times: the one pass
   * took about 8% off the executors' work per call in the calls benchmark ({@code
   * docs/benchmarks.md}).
   *
   * @param kafkaRecords rows of Spark's Kafka source
   * @param ids null to keep duplicates
   * @return the decoded records: Kafka coordinates and the decoder's fields
   */
  public static Dataset<Row> quarantineOnTheWay(
      Dataset<Row> kafkaRecords,
      RecordDecoder decoder,
      RecordIds ids,
      Database database,
      String pipeline) {
    StructType kept =
        new StructType()
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType)
            .add("kafka_ts", DataTypes.TimestampType);
    for (StructField field : decoder.schema().fields()) {
      kept = kept.add(field);
    }
    int fields = kept.size();
    int decoderFields = decoder.schema().size();
    int idField = ids == null ? -1 : decoder.idField().map(decoder.schema()::fieldIndex).orElse(-1);
    return kafkaRecords
        .select(col("value"), col("topic"), col("partition"), col("offset"), col("timestamp"))
        .mapPartitions(
            (MapPartitionsFunction<Row, Row>)
                records -> {
                  Iterator<Row> decoded = DecodeOrQuarantine.decodeEach(records, decoder);
                  if (idField >= 0) {
                    decoded = ids.rejectDuplicates(decoded, decoderFields, idField);
                  }
                  return new PassDecoded(decoded, fields, database, pipeline);
                },
            Encoders.row(kept));
  }

  /** How many records of the batch {@code seq} are in quarantine. */
  public static long count(Connection connection, String pipeline, long seq) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT count(*) FROM quarantine WHERE pipeline = ? AND batch_id = ?")) {
      select.setString(1, pipeline);
      select.setLong(2, seq);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /**
   * Gives the quarantine rows in the batch's offset ranges to the batch (its seq), inside the
   * ledger's transaction, and returns how many there are.
   */
  public static long claim(Connection connection, String pipeline, long seq, OffsetRanges ranges)
      throws SQLException {
    long claimed = 0;
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE quarantine SET batch_id = ? WHERE pipeline = ? AND topic = ? AND kafka_partition = ?"
                + " AND kafka_offset >= ? AND kafka_offset < ?")) {
      for (OffsetRanges.Range range : ranges.ranges()) {
        update.setLong(1, seq);
        update.setString(2, pipeline);
        update.setString(3, range.topic());
        update.setInt(4, range.partition());
        update.setLong(5, range.start());
        update.setLong(6, range.end());
        claimed += update.executeUpdate();
      }
    }
    return claimed;
  }

  /**
   * Passes a partition's decoded rows on, without their last three columns (reason, raw prefix, raw
   * length), and inserts its rejected ones, a round trip per {@value #ROWS_PER_ROUND_TRIP}.
   */
  private static final class PassDecoded implements Iterator<Row> {
    private static final int ROWS_PER_ROUND_TRIP = 1000;

    private final Iterator<Row> rows;
    private final int fields;
    private final Database database;
    private final String pipeline;
    private Connection connection;
    private PreparedStatement insert;
    private int pending;
    private Row next;

    PassDecoded(Iterator<Row> rows, int fields, Database database, String pipeline) {
      this.rows = rows;
      this.fields = fields;
      this.database = database;
      this.pipeline = pipeline;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null && rows.hasNext()) {
          Row row = rows.next();
          if (row.isNullAt(fields)) {
            Object[] values = new Object[fields];
            for (int i = 0; i < fields; i++) {
              values[i] = row.get(i);
            }
            next = RowFactory.create(values);
          } else {
            quarantine(row);
          }
        }
        if (next == null) {
          finish();
        }
        return next != null;
      } catch (SQLException e) {
        close();
        throw new IllegalStateException("cannot write to quarantine: " + e.getMessage(), e);
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }

    private void quarantine(Row row) throws SQLException {
      if (connection == null) {
        connection = database.connect();
        connection.setAutoCommit(false);
        insert = connection.prepareStatement(INSERT_UNCLAIMED);
      }
      insert.setString(1, pipeline);
      insert.setString(2, row.getString(0));
      insert.setInt(3, row.getInt(1));
      insert.setLong(4, row.getLong(2));
      insert.setLong(5, -1);
      insert.setString(6, row.getString(fields));
      insert.setBytes(7, (byte[]) row.get(fields + 1));
      insert.setInt(8, row.getInt(fields + 2));
      insert.setTimestamp(9, row.getTimestamp(3));
      insert.addBatch();
      if (++pending == ROWS_PER_ROUND_TRIP) {
        insert.executeBatch();
        pending = 0;
      }
    }

    private void finish() throws SQLException {
      if (connection != null) {
        if (pending > 0) {
          insert.executeBatch();
          pending = 0;
        }
        connection.commit();
        close();
      }
    }

    private void close() {
      Database.closeQuietly(connection);
      connection = null;
    }
  }
}
