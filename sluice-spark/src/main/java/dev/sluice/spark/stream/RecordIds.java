package dev.sluice.spark.stream;

import dev.sluice.core.records.StorableText;
import dev.sluice.store.Database;
import dev.sluice.store.RecordIdClaims;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Deduplication by a record's own id, for every pipeline whose records carry one ({@link
 * RecordDecoder#idField()}): the first record read with an id claims it in {@code record_ids}, and
 * a later record with the same id becomes a rejection ("duplicate of ..."), quarantined and counted
 * like any other, so a review posted twice is counted once. The window is everything the table
 * holds: all time.
 *
 * <p>Claims are made by the executors as a batch is computed, a round trip per {@value #CHUNK}
 * records, before anything else of the batch is written; they are idempotent, and a replay of the
 * batch finds its own claims, so it decides as the first attempt did. Within one round trip the
 * lower offset wins; between partitions of a batch, whichever claims first.
 */
public final class RecordIds implements Serializable {
  static final int CHUNK = 1000;

  private final Database database;
  private final String pipeline;

  public RecordIds(Database database, String pipeline) {
    this.database = database;
    this.pipeline = pipeline;
  }

  /**
   * The rows of {@link DecodeOrQuarantine#decode}, with a {@code value} column of the raw record
   * still beside them, given back without it and with every duplicate rejected.
   *
   * @param schema the rows' schema without {@code value}
   */
  Dataset<Row> rejectDuplicates(Dataset<Row> withValue, StructType schema, int idField) {
    int reason = schema.fieldIndex(DecodeOrQuarantine.REASON);
    int value = withValue.schema().fieldIndex("value");
    int fields = schema.size();
    return withValue.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            rows -> new Claiming(rows, fields, value, reason, idField + 4),
        Encoders.row(schema));
  }

  /**
   * A partition's rows of {@link DecodeOrQuarantine#decodeEach} (the raw value last), handed on
   * without the value and with every duplicate rejected.
   *
   * @param decoderFields how many fields the decoder has
   * @param idField the position of the id among them
   */
  Iterator<Row> rejectDuplicates(Iterator<Row> withValue, int decoderFields, int idField) {
    int reason = 4 + decoderFields;
    int fields = reason + 3;
    return new Claiming(withValue, fields, fields, reason, idField + 4);
  }

  /** Claims a chunk at a time, then hands its rows on. */
  private final class Claiming implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int fields;
    private final int value;
    private final int reason;
    private final int id;
    private final List<Row> ready = new ArrayList<>(CHUNK);
    private int next;
    private Connection connection;

    Claiming(Iterator<Row> rows, int fields, int value, int reason, int id) {
      this.rows = rows;
      this.fields = fields;
      this.value = value;
      this.reason = reason;
      this.id = id;
    }

    @Override
    public boolean hasNext() {
      if (next < ready.size()) {
        return true;
      }
      ready.clear();
      next = 0;
      List<Row> chunk = new ArrayList<>(CHUNK);
      while (chunk.size() < CHUNK && rows.hasNext()) {
        chunk.add(rows.next());
      }
      if (chunk.isEmpty()) {
        close();
        return false;
      }
      try {
        Map<String, RecordIdClaims.Claim> owners = claim(chunk);
        for (Row row : chunk) {
          ready.add(decide(row, owners));
        }
      } catch (SQLException e) {
        close();
        throw new IllegalStateException("cannot claim record ids: " + e.getMessage(), e);
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }

    /** Claims the chunk's ids and returns the record that owns each. */
    private Map<String, RecordIdClaims.Claim> claim(List<Row> chunk) throws SQLException {
      List<RecordIdClaims.Claim> claims = new ArrayList<>();
      for (Row row : chunk) {
        if (row.isNullAt(reason) && !row.isNullAt(id)) {
          claims.add(claimOf(row));
        }
      }
      if (claims.isEmpty()) {
        return Map.of();
      }
      if (connection == null) {
        connection = database.connect();
        // A claim need not reach the disk before the batch commits: the batch's own commit, in
        // the ledger, is synchronous and so flushes the claims' log records before it. A claim
        // lost with the database before that is made again when the batch is replayed.
        try (Statement session = connection.createStatement()) {
          session.execute("SET synchronous_commit = off");
        }
      }
      return RecordIdClaims.claim(connection, pipeline, claims);
    }

    private RecordIdClaims.Claim claimOf(Row row) {
      return new RecordIdClaims.Claim(
          row.getString(id), row.getString(0), row.getInt(1), row.getLong(2));
    }

    /** The row without its value column, rejected when another record owns its id. */
    private Row decide(Row row, Map<String, RecordIdClaims.Claim> owners) {
      Object[] values = new Object[fields];
      for (int i = 0, out = 0; i < row.size(); i++) {
        if (i != value) {
          values[out++] = row.get(i);
        }
      }
      if (row.isNullAt(reason) && !row.isNullAt(id)) {
        RecordIdClaims.Claim owner = owners.get(row.getString(id));
        if (owner != null && !owner.sameRecord(claimOf(row))) {
          byte[] raw = (byte[]) row.get(value);
          raw = raw == null ? new byte[0] : raw;
          values[reason] =
              "duplicate id: "
                  + "\""
                  // Ids reach here decoded, so storable; the quote keeps them so.
                  + StorableText.abbreviate(row.getString(id), 60)
                  + "\""
                  + " was first read at "
                  + owner.topic()
                  + "-"
                  + owner.partition()
                  + "-"
                  + owner.offset();
          values[reason + 1] =
              Arrays.copyOf(raw, Math.min(raw.length, DecodeOrQuarantine.RAW_PREFIX_BYTES));
          values[reason + 2] = raw.length;
        }
      }
      return RowFactory.create(values);
    }

    private void close() {
      Database.closeQuietly(connection);
      connection = null;
    }
  }
}
