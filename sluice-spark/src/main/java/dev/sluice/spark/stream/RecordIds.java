package dev.sluice.spark.stream;

import dev.sluice.core.records.StorableText;
import dev.sluice.store.Database;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

  static final String CLAIM =
      "INSERT INTO record_ids (pipeline, id, topic, kafka_partition, kafka_offset)"
          + " SELECT ?, t.id, t.topic, t.kafka_partition, t.kafka_offset"
          + " FROM unnest(?::text[], ?::text[], ?::int[], ?::bigint[]) WITH ORDINALITY AS t(id, topic, kafka_partition, kafka_offset, n)"
          + " ORDER BY t.n ON CONFLICT (pipeline, id) DO NOTHING"
          + " RETURNING id, topic, kafka_partition, kafka_offset";

  static final String OWNERS =
      "SELECT id, topic, kafka_partition, kafka_offset FROM record_ids WHERE pipeline = ? AND id = ANY(?::text[])";

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
        Map<String, Row> owners = claim(chunk);
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

    /**
     * Claims the chunk's ids and returns the record that owns each: (id, topic, partition, offset).
     */
    private Map<String, Row> claim(List<Row> chunk) throws SQLException {
      List<String> ids = new ArrayList<>();
      List<String> topics = new ArrayList<>();
      List<Integer> partitions = new ArrayList<>();
      List<Long> offsets = new ArrayList<>();
      for (Row row : chunk) {
        if (row.isNullAt(reason) && !row.isNullAt(id)) {
          ids.add(row.getString(id));
          topics.add(row.getString(0));
          partitions.add(row.getInt(1));
          offsets.add(row.getLong(2));
        }
      }
      Map<String, Row> owners = new HashMap<>();
      if (ids.isEmpty()) {
        return owners;
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
      try (PreparedStatement insert = connection.prepareStatement(CLAIM)) {
        insert.setString(1, pipeline);
        insert.setArray(2, connection.createArrayOf("text", ids.toArray()));
        insert.setArray(3, connection.createArrayOf("text", topics.toArray()));
        insert.setArray(4, connection.createArrayOf("integer", partitions.toArray()));
        insert.setArray(5, connection.createArrayOf("bigint", offsets.toArray()));
        try (ResultSet claimed = insert.executeQuery()) {
          putOwners(claimed, owners);
        }
      }
      // Ids not claimed now were claimed before: by another record, or by this one in an attempt
      // of this batch that did not commit. Usually none, so usually no second round trip.
      List<String> claimedBefore = new ArrayList<>();
      for (String candidate : ids) {
        if (!owners.containsKey(candidate)) {
          claimedBefore.add(candidate);
        }
      }
      if (!claimedBefore.isEmpty()) {
        try (PreparedStatement select = connection.prepareStatement(OWNERS)) {
          select.setString(1, pipeline);
          select.setArray(2, connection.createArrayOf("text", claimedBefore.toArray()));
          try (ResultSet owner = select.executeQuery()) {
            putOwners(owner, owners);
          }
        }
      }
      return owners;
    }

    private static void putOwners(ResultSet rows, Map<String, Row> owners) throws SQLException {
      while (rows.next()) {
        owners.put(
            rows.getString(1),
            RowFactory.create(rows.getString(2), rows.getInt(3), rows.getLong(4)));
      }
    }

    /** The row without its value column, rejected when another record owns its id. */
    private Row decide(Row row, Map<String, Row> owners) {
      Object[] values = new Object[fields];
      for (int i = 0, out = 0; i < row.size(); i++) {
        if (i != value) {
          values[out++] = row.get(i);
        }
      }
      if (row.isNullAt(reason) && !row.isNullAt(id)) {
        Row owner = owners.get(row.getString(id));
        boolean own =
            owner != null
                && owner.getString(0).equals(row.getString(0))
                && owner.getInt(1) == row.getInt(1)
                && owner.getLong(2) == row.getLong(2);
        if (owner != null && !own) {
          byte[] raw = (byte[]) row.get(value);
          raw = raw == null ? new byte[0] : raw;
          values[reason] =
              "duplicate id: "
                  + "\""
                  // Ids reach here decoded, so storable; the quote keeps them so.
                  + StorableText.abbreviate(row.getString(id), 60)
                  + "\""
                  + " was first read at "
                  + owner.getString(0)
                  + "-"
                  + owner.getInt(1)
                  + "-"
                  + owner.getLong(2);
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
