package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.process.PermanentFailure;
import dev.sluice.spark.testing.TestSchemas;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch ledger on a real PostgreSQL: identity by checkpoint, offsets, seq, resume points. */
class BatchLedgerIT {
  private static final BatchLedger.BatchCounts COUNTS = new BatchLedger.BatchCounts(10, 1);
  private static final String FIRST = "{\"t\":{\"0\":5,\"1\":5}}";
  private static final String SECOND = "{\"t\":{\"0\":9,\"1\":7}}";

  private Database database;
  private BatchLedger ledger;

  @BeforeEach
  void freshSchema() throws SQLException {
    database = TestSchemas.migrated("ledger");
    ledger = new BatchLedger(database, "alpha", "alpha-query");
  }

  @Test
  void aCommittedBatchIsKnownByItsCheckpointAndBatchIdAndItsWorkIsAppliedOnce()
      throws SQLException {
    BatchLedger.Batch batch = ledger.begin("checkpoint-a", 0, FIRST);
    assertThat(batch.committed()).isFalse();
    assertThat(batch.seq()).isZero();
    AtomicInteger applied = new AtomicInteger();
    assertThat(ledger.commitOnce(batch, COUNTS, Instant.now(), c -> applied.incrementAndGet()))
        .isTrue();
    assertThat(ledger.commitOnce(batch, COUNTS, Instant.now(), c -> applied.incrementAndGet()))
        .isFalse();
    assertThat(applied).hasValue(1);

    BatchLedger.Batch replay = ledger.begin("checkpoint-a", 0, FIRST);
    assertThat(replay.committed()).isTrue();
    assertThat(replay.seq()).isZero();
    assertThat(ledger.begin("checkpoint-a", 1, SECOND).seq()).isEqualTo(1);
  }

  @Test
  void aBatchIdRecordedWithOtherOffsetsStopsTheQueryInsteadOfBeingSkipped() {
    ledger.commitOnce(ledger.begin("checkpoint-a", 0, FIRST), COUNTS, Instant.now(), c -> {});
    assertThatThrownBy(() -> ledger.begin("checkpoint-a", 0, SECOND))
        .isInstanceOf(PermanentFailure.class)
        .hasMessageContaining(
            "batch 0 of query alpha-query (checkpoint checkpoint-a) is in the ledger with offsets")
        .hasMessageContaining("the checkpoint and the database do not belong together");
  }

  @Test
  void aNewCheckpointStartsItsBatchIdsAtZeroWithoutLookingLikeAReplay() {
    ledger.commitOnce(ledger.begin("checkpoint-a", 0, FIRST), COUNTS, Instant.now(), c -> {});
    ledger.commitOnce(ledger.begin("checkpoint-a", 1, SECOND), COUNTS, Instant.now(), c -> {});
    BatchLedger.Batch fresh = ledger.begin("checkpoint-b", 0, "{\"t\":{\"0\":12,\"1\":7}}");
    assertThat(fresh.committed()).isFalse();
    assertThat(fresh.seq()).as("seq keeps growing across checkpoints").isEqualTo(2);
  }

  @Test
  void aQueryThatLostItsCheckpointResumesFromTheNewestCommittedOffsets() {
    assertThat(ledger.committedOffsets()).isEmpty();
    assertThat(ledger.hasCommitted()).isFalse();
    ledger.commitOnce(ledger.begin("checkpoint-a", 0, FIRST), COUNTS, Instant.now(), c -> {});
    ledger.commitOnce(ledger.begin("checkpoint-a", 1, SECOND), COUNTS, Instant.now(), c -> {});
    assertThat(ledger.committedOffsets())
        .hasValueSatisfying(json -> assertThat(json).contains("\"0\": 9").contains("\"1\": 7"));
    assertThat(new BatchLedger(database, "alpha", "other-query").committedOffsets()).isEmpty();
    assertThat(new BatchLedger(database, "beta", "alpha-query").committedOffsets()).isEmpty();
  }

  @Test
  void rowsFromBeforeCheckpointsWereRecordedAreAdoptedByTheFirstCheckpointThatStarts()
      throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, records, quarantined, started_at)"
              + " VALUES ('alpha', 'alpha-query', '', 0, 0, 3, 0, now()), ('alpha', 'alpha-query', '', 1, 1, 3, 0, now())");
    }
    assertThatThrownBy(ledger::committedOffsets)
        .hasMessageContaining("committed before Sluice recorded offsets");
    assertThat(ledger.adoptRowsWithoutCheckpoint("checkpoint-a")).isEqualTo(2);
    assertThat(ledger.begin("checkpoint-a", 1, FIRST).committed())
        .as("offsets unknown: the id alone matches")
        .isTrue();
    assertThat(ledger.begin("checkpoint-a", 2, SECOND).seq()).isEqualTo(2);
    try (Connection connection = database.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT count(*) FROM pipeline_batches WHERE query_id = ?")) {
      select.setString(1, "checkpoint-a");
      try (ResultSet row = select.executeQuery()) {
        row.next();
        assertThat(row.getLong(1)).isEqualTo(2);
      }
    }
  }
}
