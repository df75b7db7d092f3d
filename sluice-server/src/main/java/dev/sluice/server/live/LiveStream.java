package dev.sluice.server.live;

import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;

/**
 * {@code GET /api/stream}: a Server-Sent Events stream of live updates. Events: {@code snapshot}
 * (the whole dashboard state, first), {@code batch} (after every committed micro-batch), {@code
 * pipelines} (status change between batches) and {@code status} (database reachable or not).
 */
public final class LiveStream {
  private final LiveHub hub;

  public LiveStream(LiveHub hub) {
    this.hub = hub;
  }

  public void handle(Context ctx) throws IOException {
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
          hub.register(connection);
          connection.start();
          // Javalin finishes the request on the thread that completes this future: not the
          // fan-out thread, which must never wait.
          return connection.closed().thenApplyAsync(ignored -> null);
        });
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
