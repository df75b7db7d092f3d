package dev.sluice.server.live;

import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.Reads;
import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/stream[?pipeline=NAME...]}: a Server-Sent Events stream of live updates. Every
 * stream gets {@code pipelines} (every pipeline's status, first and on change) and {@code status}
 * (database reachable or not). For each pipeline it names, it also gets that pipeline's {@code
 * snapshot} (its whole state, first) and {@code batch} (after committed micro-batches), each tagged
 * with the pipeline's name.
 */
public final class LiveStream {
  private final LiveHub hub;
  private final Set<String> live;

  /**
   * @param live the pipelines with live updates
   */
  public LiveStream(LiveHub hub, Set<String> live) {
    this.hub = hub;
    this.live = new TreeSet<>(live);
  }

  public void handle(Context ctx) throws IOException {
    Set<String> pipelines = pipelines(ctx.queryParams("pipeline"));
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache, no-transform");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    // Not reused after the stream ends, and so not chunked: the body is just the event frames.
    ctx.res().setHeader("Connection", "close");
    SseConnection connection = new SseConnection(ctx.res().getOutputStream());
    ctx.future(
        () -> {
          ctx.req().getAsyncContext().addListener(new Closer(connection));
          hub.register(connection, pipelines);
          connection.start();
          // Javalin finishes the request on the thread that completes this future: not the
          // fan-out thread, which must never wait.
          return connection.closed().thenApplyAsync(ignored -> null);
        });
  }

  /** The pipelines a stream follows; an unknown one is a 404 listing those that have updates. */
  private Set<String> pipelines(List<String> names) {
    Set<String> pipelines = new LinkedHashSet<>();
    for (String name : names) {
      if (!live.contains(name)) {
        throw new Problem(
            404,
            "no live updates for pipeline '"
                + Reads.abbreviate(name)
                + "': pipelines with live updates are "
                + (live.isEmpty() ? "none" : String.join(", ", live)));
      }
      pipelines.add(name);
    }
    return pipelines;
  }

  private record Closer(SseConnection connection) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      connection.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      connection.close();
    }

    @Override
    public void onError(AsyncEvent event) {
      connection.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
