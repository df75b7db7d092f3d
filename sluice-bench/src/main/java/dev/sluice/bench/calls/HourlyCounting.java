package dev.sluice.bench.calls;

import dev.sluice.bench.PlainLoopWork;
import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.store.Database;
import dev.sluice.store.RecordIdClaims;
import dev.sluice.store.calls.HourlyCountsTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One plain-loop thread of the calls benchmark: what any implementation of the calls pipeline must
 * do to keep its counts in PostgreSQL, without Spark. It decodes every record with {@link
 * PoliceCallCodec}, and per chunk of {@value #CHUNK} records (the pipeline's round trip) claims
 * their {@code crime_id}s in {@code record_ids} ({@link RecordIdClaims}, as the pipeline does),
 * counts the calls that own their id per hour, call type and disposition (the radio code's
 * description looked up), and adds the chunk's counts to {@code calls_hourly} ({@link
 * HourlyCountsTable#ADD}, as the pipeline adds each batch's counts): all in the plain loop's own
 * schema, one transaction per chunk. It also keeps its counts in memory, for the check.
 *
 * <p>A chunk's transaction does not wait for the disk ({@code synchronous_commit = off}), like the
 * pipeline's claims; the last one does, like the pipeline's ledger commit, once per batch.
 */
final class HourlyCounting implements PlainLoopWork {
  static final int CHUNK = 1000;

  private static final long HOUR_MILLIS = 3_600_000;

  /** What a count is kept under: the hour's start in epoch millis, type, code, description. */
  record Key(long hourStart, String callType, String disposition, String description) {
    /**
     * The order in which a chunk adds its counts. Both threads add to the same hours; upserting
     * them in each chunk's arrival order, each thread held rows the other waited for, and
     * PostgreSQL aborted one ("deadlock detected", one run in four). In one order they only wait.
     */
    static final Comparator<Key> LOCK_ORDER =
        Comparator.comparingLong(Key::hourStart)
            .thenComparing(Key::callType)
            .thenComparing(Key::disposition);
  }

  /** A decoded call waiting for its chunk: its claim and the key it counts under. */
  private record Pending(RecordIdClaims.Claim claim, Key key) {}

  private final RadioCodes codes;
  private final Database database;
  private final Map<Key, Long> counts = new HashMap<>();
  private final List<Pending> chunk = new ArrayList<>(CHUNK);
  private int records;
  private long quarantined;
  private long duplicates;
  private long chunks;
  private Connection connection;

  HourlyCounting(RadioCodes codes, Database database) {
    this.codes = codes;
    this.database = database;
  }

  @Override
  public void accept(byte[] key, byte[] value) {
    throw new UnsupportedOperationException("the calls plain loop needs each record's offset");
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    records++;
    PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(record.value());
    if (decoded.ok()) {
      long millis = decoded.callEpochMillis();
      chunk.add(
          new Pending(
              new RecordIdClaims.Claim(
                  decoded.call().crimeId(), record.topic(), record.partition(), record.offset()),
              new Key(
                  Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS,
                  decoded.call().callType(),
                  decoded.call().disposition(),
                  codes.describe(decoded.call().disposition()))));
    } else {
      quarantined++;
    }
    if (records == CHUNK) {
      write(false);
    }
  }

  @Override
  public void finish() {
    write(true);
    Database.closeQuietly(connection);
    connection = null;
  }

  private void write(boolean last) {
    records = 0;
    try {
      if (connection == null) {
        connection = database.connect();
        connection.setAutoCommit(false);
        try (Statement session = connection.createStatement()) {
          session.execute("SET synchronous_commit = off");
        }
      }
      if (last) {
        try (Statement session = connection.createStatement()) {
          session.execute("SET synchronous_commit = on");
        }
      }
      List<RecordIdClaims.Claim> claims = new ArrayList<>(chunk.size());
      for (Pending pending : chunk) {
        claims.add(pending.claim());
      }
      Map<String, RecordIdClaims.Claim> owners =
          RecordIdClaims.claim(connection, CallsDefinition.NAME, claims);
      Map<Key, Long> added = new TreeMap<>(Key.LOCK_ORDER);
      for (Pending pending : chunk) {
        if (pending.claim().sameRecord(owners.get(pending.claim().id()))) {
          added.merge(pending.key(), 1L, Long::sum);
        } else {
          duplicates++;
        }
      }
      chunks++;
      try (PreparedStatement add = connection.prepareStatement(HourlyCountsTable.ADD)) {
        for (Map.Entry<Key, Long> count : added.entrySet()) {
          Key key = count.getKey();
          HourlyCountsTable.bind(
              add,
              new Timestamp(key.hourStart()),
              key.callType(),
              key.disposition(),
              key.description(),
              count.getValue(),
              chunks);
          add.addBatch();
          counts.merge(key, count.getValue(), Long::sum);
        }
        add.executeBatch();
      }
      connection.commit();
      chunk.clear();
    } catch (SQLException e) {
      Database.closeQuietly(connection);
      connection = null;
      throw new IllegalStateException(
          "the plain loop cannot write its counts: " + e.getMessage(), e);
    }
  }

  /** The plain loop's schema. */
  Database database() {
    return database;
  }

  Map<Key, Long> counts() {
    return counts;
  }

  long quarantined() {
    return quarantined;
  }

  long duplicates() {
    return duplicates;
  }
}
