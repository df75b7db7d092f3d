package dev.sluice.server.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A pipeline's live updates: what its dashboard page shows, kept by the server so that every update
 * is read once for all clients and a new client starts from the current state. Called only from the
 * server's one listener thread, on its connection, inside a repeatable-read transaction.
 *
 * <p>The stream sends what these methods return, tagged with the pipeline: {@code snapshot} for the
 * whole state, {@code batch} for what the newly committed batches changed.
 */
public interface LiveFeed {
  /** Reads the whole state from the pipeline's committed results, keeps it, and returns it. */
  Object load(Connection connection) throws SQLException;

  /**
   * Reads what the batches committed since the last call changed, keeps the new state, and returns
   * the change; empty when the change cannot be told against the kept state (e.g. the tables were
   * reset), in which case the listener calls {@link #load} and sends a snapshot.
   */
  Optional<Object> changes(Connection connection) throws SQLException;

  /** The whole kept state, for a client that connects now. */
  Object snapshot();

  /**
   * How often the listener also calls {@link #poll} between notifications; empty (the default) for
   * a pipeline whose every result is announced by its batch ledger's NOTIFY. A real-time query
   * writes rows without a ledger, so nothing announces them: its feed polls instead, once for all
   * clients, at a bounded rate.
   */
  default Optional<Duration> pollInterval() {
    return Optional.empty();
  }

  /**
   * Checks cheaply whether the results changed since the last call of this method or {@link
   * #changes}; if so, keeps the new state and returns the change, as {@link #changes} does. Empty
   * when nothing changed: nothing is sent.
   */
  default Optional<Object> poll(Connection connection) throws SQLException {
    return Optional.empty();
  }
}
