package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Claims of record ids in {@code record_ids}: the first record read with an id owns it, for all
 * time. A claim names the record by its Kafka coordinates, so claiming again (a replayed batch, a
 * retried task) finds the claim it made and decides as before. The pipelines' deduplication and the
 * benchmark's plain loop claim through this class, in one round trip per call.
 */
public final class RecordIdClaims {
  /**
   * Inserts in id order, whatever the order given: an insert waits for a concurrent claim of the
   * same id to end, so two claims that share ids, each holding one the other wants, would deadlock
   * (PostgreSQL then aborts one). In one order, the later claim waits without holding what the
   * earlier one needs. For an id claimed twice in the list, the earlier entry still comes first.
   */
  static final String CLAIM =
      "INSERT INTO record_ids (pipeline, id, topic, kafka_partition, kafka_offset)"
          + " SELECT ?, t.id, t.topic, t.kafka_partition, t.kafka_offset"
          + " FROM unnest(?::text[], ?::text[], ?::int[], ?::bigint[]) WITH ORDINALITY AS t(id, topic, kafka_partition, kafka_offset, n)"
          + " ORDER BY t.id, t.n ON CONFLICT (pipeline, id) DO NOTHING"
          + " RETURNING id, topic, kafka_partition, kafka_offset";

  static final String OWNERS =
      "SELECT id, topic, kafka_partition, kafka_offset FROM record_ids WHERE pipeline = ? AND id = ANY(?::text[])";

  /** A record that claims its id, or owns it. */
  public record Claim(String id, String topic, int partition, long offset) {
    /** Whether {@code other} is the same record: the same Kafka coordinates. */
    public boolean sameRecord(Claim other) {
      return other != null
          && partition == other.partition
          && offset == other.offset
          && topic.equals(other.topic);
    }
  }

  private RecordIdClaims() {}

  /**
   * Claims each id for its record and returns every id's owner: the record given here when the id
   * was free, the one that claimed it before otherwise. Within one call the earlier claim in the
   * list wins.
   */
  public static Map<String, Claim> claim(Connection connection, String pipeline, List<Claim> claims)
      throws SQLException {
    Map<String, Claim> owners = new HashMap<>();
    if (claims.isEmpty()) {
      return owners;
    }
    int size = claims.size();
    String[] ids = new String[size];
    String[] topics = new String[size];
    Integer[] partitions = new Integer[size];
    Long[] offsets = new Long[size];
    for (int i = 0; i < size; i++) {
      Claim claim = claims.get(i);
      ids[i] = claim.id();
      topics[i] = claim.topic();
      partitions[i] = claim.partition();
      offsets[i] = claim.offset();
    }
    try (PreparedStatement insert = connection.prepareStatement(CLAIM)) {
      insert.setString(1, pipeline);
      insert.setArray(2, connection.createArrayOf("text", ids));
      insert.setArray(3, connection.createArrayOf("text", topics));
      insert.setArray(4, connection.createArrayOf("integer", partitions));
      insert.setArray(5, connection.createArrayOf("bigint", offsets));
      try (ResultSet claimed = insert.executeQuery()) {
        putOwners(claimed, owners);
      }
    }
    // Ids not claimed now were claimed before: by another record, or by this one in an attempt
    // that did not commit. Usually none, so usually no second round trip.
    List<String> claimedBefore = new ArrayList<>();
    for (String id : ids) {
      if (!owners.containsKey(id)) {
        claimedBefore.add(id);
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

  private static void putOwners(ResultSet rows, Map<String, Claim> owners) throws SQLException {
    while (rows.next()) {
      String id = rows.getString(1);
      owners.put(id, new Claim(id, rows.getString(2), rows.getInt(3), rows.getLong(4)));
    }
  }
}
