package dev.sluice.server.live;

import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.BearerAuth;
import dev.sluice.server.pipeline.Reads;
import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/stream[?pipeline=NAME...]}: a Server-Sent Events stream of live updates. Every
 * stream gets {@code pipelines} (every pipeline's status, first and on change) and {@code status}
 * (database reachable or not). For each pipeline it names, it also gets that pipeline's {@code
 * snapshot} (its whole state, first) and {@code batch} (after committed micro-batches), each tagged
 * with the pipeline's name.
 */
public final class LiveStream {
  /** What a refused client is told to wait; EventSource ignores it, the pages wait 3 s. */
  static final int RETRY_AFTER_SECONDS = 10;

  private final LiveHub hub;
  private final Set<String> live;
  private final BearerAuth auth;
  private final int maxClients;
  private final AtomicInteger open = new AtomicInteger();

  /**
   * @param live the pipelines with live updates
   * @param maxClients how many streams may be open at once
   */
  public LiveStream(LiveHub hub, Set<String> live, BearerAuth auth, int maxClients) {
    this.hub = hub;
    this.live = new TreeSet<>(live);
    this.auth = auth;
    this.maxClients = maxClients;
  }

  public void handle(Context ctx) throws IOException {
    Set<String> pipelines = pipelines(ctx.queryParams("pipeline"));
    boolean authenticated = auth.authenticated(ctx);
    // A slot is taken before anything is allocated and given back when the stream ends, so
    // the number of open streams never exceeds the cap, however many connect at once.
    if (open.incrementAndGet() > maxClients) {
      open.decrementAndGet();
      ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      throw new Problem(
          503,
          "this server already serves "
              + maxClients
              + " live streams, its limit (SLUICE_MAX_SSE_CLIENTS); retry later");
    }
    SseConnection connection;
    try {
      connection = new SseConnection(ctx.res().getOutputStream());
    } catch (IOException | RuntimeException e) {
      open.decrementAndGet();
      throw e;
    }
    connection.closed().whenComplete((ignored, error) -> open.decrementAndGet());
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache, no-transform");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    // Not reused after the stream ends, and so not chunked: the body is just the event frames.
    ctx.res().setHeader("Connection", "close");
    ctx.future(
        () -> {
          ctx.req().getAsyncContext().addListener(new Closer(connection));
          hub.register(connection, pipelines, authenticated);
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
