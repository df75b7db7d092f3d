package dev.sluice.server.live;

import dev.sluice.server.Json;
import dev.sluice.server.Metrics;
import dev.sluice.server.PipelineStatuses;
import dev.sluice.server.PipelineStatuses.PipelineStatus;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans live updates out to every connected dashboard. Each update is serialized once into an SSE
 * frame and the same bytes are queued on every stream that wants it: the platform's events ({@code
 * status}, {@code pipelines}) go to every stream, a pipeline's events ({@code snapshot}, {@code
 * batch}) to the streams subscribed to that pipeline. A client that connects gets the current state
 * first, then every update after it, in order.
 */
public final class LiveHub {
  /** EventSource waits this long before reconnecting after a dropped stream. */
  static final int RETRY_MILLIS = 2000;

  private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

  /** What a stream without the API token learns of why the database cannot be reached. */
  static final String DATABASE_DOWN =
      "the database is unreachable (the reason is shown with the API token, and in the server's log)";

  /** A {@code status} event: whether the live updates can reach the database. */
  public record Status(String database, String detail) {}

  /** A {@code pipelines} event: every pipeline's status. */
  public record PipelinesUpdate(List<PipelineStatus> pipelines, String now) {}

  /**
   * A pipeline's {@code snapshot} (its whole state) or {@code batch} (what committed batches
   * changed) event: {@code batches} are the batch ids its notifications announced (empty in a
   * snapshot), {@code data} is what its {@link dev.sluice.server.pipeline.LiveFeed} returned.
   */
  public record PipelineEvent(String pipeline, List<Long> batches, String now, Object data) {}

  /** What a stream follows, and whether it may see failure text (it sent the API token). */
  private record Subscription(Set<String> pipelines, boolean authenticated) {}

  /**
   * An event as every stream gets it, and as authenticated streams get it: the same bytes unless
   * the event holds failure text.
   */
  private record Frames(byte[] open, byte[] authenticated) {
    byte[] forSubscriber(Subscription subscription) {
      return subscription.authenticated() ? authenticated : open;
    }
  }

  private final Map<SseConnection, Subscription> clients = new ConcurrentHashMap<>();
  private final Metrics metrics;
  private final Object order = new Object();
  private final Map<String, PipelineEvent> snapshots = new HashMap<>();
  private final Map<String, byte[]> snapshotFrames = new HashMap<>();
  private Frames pipelinesFrames;
  private Frames statusFrames;

  public LiveHub(Metrics metrics) {
    this.metrics = metrics;
    metrics.sseClients(clients::size);
  }

  public int clients() {
    return clients.size();
  }

  /**
   * Adds a stream subscribed to some pipelines: it gets the retry delay, the database status if
   * down, every pipeline's status, and the snapshot of each pipeline it follows.
   */
  void register(SseConnection client, Set<String> pipelines, boolean authenticated) {
    byte[] first =
        ("retry: " + RETRY_MILLIS + "\n: sluice live updates\n\n").getBytes(StandardCharsets.UTF_8);
    Subscription subscription = new Subscription(Set.copyOf(pipelines), authenticated);
    synchronized (order) {
      clients.put(client, subscription);
      client.send(first);
      if (statusFrames != null) {
        client.send(statusFrames.forSubscriber(subscription));
      }
      if (pipelinesFrames != null) {
        client.send(pipelinesFrames.forSubscriber(subscription));
      }
      for (String pipeline : pipelines) {
        PipelineEvent snapshot = snapshots.get(pipeline);
        if (snapshot != null) {
          client.send(snapshotFrames.computeIfAbsent(pipeline, p -> frame("snapshot", snapshot)));
        }
      }
    }
    // The one place a stream leaves, whoever ended it: counted once if it fell too far behind.
    client
        .closed()
        .whenComplete(
            (ignored, error) -> {
              if (clients.remove(client) != null && client.overflowed()) {
                metrics.sseClientDropped();
              }
            });
  }

  /** Replaces the state a pipeline's new clients start from and sends it whole to its clients. */
  public void publishSnapshot(PipelineEvent snapshot) {
    byte[] frame = frame("snapshot", snapshot);
    synchronized (order) {
      snapshots.put(snapshot.pipeline(), snapshot);
      snapshotFrames.put(snapshot.pipeline(), frame);
      broadcast(snapshot.pipeline(), new Frames(frame, frame));
    }
  }

  /** Sends a pipeline's change, and records the state it leads to for clients that come later. */
  public void publishChange(PipelineEvent change, PipelineEvent snapshot) {
    byte[] frame = frame("batch", change);
    synchronized (order) {
      snapshots.put(snapshot.pipeline(), snapshot);
      snapshotFrames.remove(snapshot.pipeline()); // built again when the next client connects
      broadcast(change.pipeline(), new Frames(frame, frame));
    }
  }

  /**
   * Sends every pipeline's status to every client; a pipeline's failure text only to those that
   * sent the API token.
   */
  public void publishPipelines(PipelinesUpdate update) {
    byte[] full = frame("pipelines", update);
    List<PipelineStatus> open = PipelineStatuses.withoutDetails(update.pipelines());
    Frames frames =
        new Frames(
            open.equals(update.pipelines())
                ? full
                : frame("pipelines", new PipelinesUpdate(open, update.now())),
            full);
    synchronized (order) {
      pipelinesFrames = frames;
      broadcast(null, frames);
    }
  }

  /**
   * Tells every client whether the database is reachable; an "up" status clears the last "down".
   */
  public void publishStatus(Status status) {
    byte[] full = frame("status", status);
    Frames frames =
        new Frames(
            status.detail() == null
                ? full
                : frame("status", new Status(status.database(), DATABASE_DOWN)),
            full);
    synchronized (order) {
      statusFrames = "down".equals(status.database()) ? frames : null;
      broadcast(null, frames);
    }
  }

  /** A comment line on every stream: keeps idle connections open and finds the closed ones. */
  public void heartbeat() {
    synchronized (order) {
      for (SseConnection client : clients.keySet()) {
        client.send(HEARTBEAT);
      }
    }
  }

  /** Ends every stream, at shutdown. */
  public void closeAll() {
    List.copyOf(clients.keySet()).forEach(SseConnection::close);
  }

  /** Sends a frame to the clients of {@code pipeline}, or to all clients when it is null. */
  private void broadcast(String pipeline, Frames frames) {
    metrics.liveEventSent();
    for (Map.Entry<SseConnection, Subscription> entry : clients.entrySet()) {
      Subscription subscription = entry.getValue();
      if (pipeline != null && !subscription.pipelines().contains(pipeline)) {
        continue;
      }
      // A stream that cannot take it closes itself, and leaves the clients when it does.
      entry.getKey().send(frames.forSubscriber(subscription));
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
