package dev.sluice.server.live;

import dev.sluice.server.Json;
import dev.sluice.server.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans live updates out to every connected dashboard. Each update is serialized once into an SSE
 * frame and the same bytes are queued on every stream. A client that connects gets the current
 * snapshot first, then every update after it, in order.
 */
public final class LiveHub {
  /** EventSource waits this long before reconnecting after a dropped stream. */
  static final int RETRY_MILLIS = 2000;

  private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

  /** A {@code status} event: whether the live updates can reach the database. */
  public record Status(String database, String detail) {}

  private final Set<SseConnection> clients = ConcurrentHashMap.newKeySet();
  private final Metrics metrics;
  private final Object order = new Object();
  private LiveState.Snapshot snapshot;
  private byte[] snapshotFrame;
  private byte[] statusFrame;

  public LiveHub(Metrics metrics) {
    this.metrics = metrics;
    metrics.sseClients(clients::size);
  }

  public int clients() {
    return clients.size();
  }

  /** Adds a stream: it gets the retry delay, the database status if down, and the snapshot. */
  void register(SseConnection client) {
    byte[] first =
        ("retry: " + RETRY_MILLIS + "\n: sluice live updates\n\n").getBytes(StandardCharsets.UTF_8);
    synchronized (order) {
      clients.add(client);
      client.send(first);
      if (statusFrame != null) {
        client.send(statusFrame);
      }
      if (snapshot != null) {
        if (snapshotFrame == null) {
          snapshotFrame = frame("snapshot", snapshot);
        }
        client.send(snapshotFrame);
      }
    }
    client.closed().whenComplete((ignored, error) -> clients.remove(client));
  }

  /** Replaces the state every new client starts from and sends it whole to every client. */
  public void publishSnapshot(LiveState.Snapshot newSnapshot) {
    synchronized (order) {
      snapshot = newSnapshot;
      snapshotFrame = frame("snapshot", newSnapshot);
      statusFrame = null;
      broadcast(snapshotFrame);
    }
  }

  /** Sends an update and records the state it leads to, for clients that connect later. */
  public void publish(String event, Object update, LiveState.Snapshot newSnapshot) {
    byte[] frame = frame(event, update);
    synchronized (order) {
      snapshot = newSnapshot;
      snapshotFrame = null; // built again when the next client connects
      broadcast(frame);
    }
  }

  /**
   * Tells every client whether the database is reachable; an "up" status clears the last "down".
   */
  public void publishStatus(Status status) {
    byte[] frame = frame("status", status);
    synchronized (order) {
      statusFrame = "down".equals(status.database()) ? frame : null;
      broadcast(frame);
    }
  }

  /** A comment line on every stream: keeps idle connections open and finds the closed ones. */
  public void heartbeat() {
    synchronized (order) {
      for (SseConnection client : clients) {
        client.send(HEARTBEAT);
      }
    }
  }

  /** Ends every stream, at shutdown. */
  public void closeAll() {
    List.copyOf(clients).forEach(SseConnection::close);
  }

  private void broadcast(byte[] frame) {
    metrics.liveEventSent();
    for (SseConnection client : clients) {
      if (!client.send(frame) && clients.remove(client) && client.overflowed()) {
        metrics.sseClientDropped();
      }
    }
  }

  static byte[] frame(String event, Object data) {
    byte[] json = Json.bytes(data);
    byte[] head = ("event: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[head.length + json.length + 2];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(json, 0, frame, head.length, json.length);
    frame[frame.length - 2] = '\n';
    frame[frame.length - 1] = '\n';
    return frame;
  }
}
