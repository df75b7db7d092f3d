package dev.sluice.server;

import static dev.sluice.server.ReviewApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.live.LiveHub;
import dev.sluice.server.support.RawHttp;
import dev.sluice.server.support.SseReader;
import dev.sluice.server.support.TestServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What a server owes itself against clients that take without giving: a cap on open live streams, a
 * stream that does not read is dropped once its buffers fill, and a connection that makes no
 * progress is closed.
 */
class SseLimitsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void beyondTheCapAStreamIs503WithRetryAfterUntilAnotherEnds() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (TestServer server =
        TestServer.start(
            Optional.empty(), SluiceServer.HttpPolicy.defaults().withMaxSseClients(2))) {
      try (SseReader first = new SseReader(http, server.uri("/api/stream"));
          SseReader second = new SseReader(http, server.uri("/api/stream"))) {
        first.next("pipelines", WAIT);
        second.next("pipelines", WAIT);

        HttpResponse<String> refused = server.get("/api/stream?pipeline=reviews");

        assertProblem(refused, 503, "SLUICE_MAX_SSE_CLIENTS");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(server.server().hub().clients()).isEqualTo(2);

        // A client that leaves is noticed at the next write; the server ending streams, at once.
        server.server().hub().closeAll();
        await(() -> server.server().hub().clients() == 0, "the ended streams are let go");
        try (SseReader third = new SseReader(http, server.uri("/api/stream"))) {
          assertThat(third.response().statusCode()).isEqualTo(200);
          third.next("pipelines", WAIT);
        }
      }
    }
  }

  @Test
  void aStreamThatDoesNotReadIsDroppedOnceItsBuffersFill() throws Exception {
    try (TestServer server = TestServer.start(Optional.empty());
        Socket reader = new Socket()) {
      reader.setReceiveBufferSize(4096);
      reader.connect(new InetSocketAddress("127.0.0.1", server.server().port()));
      reader
          .getOutputStream()
          .write(
              ("GET /api/stream?pipeline=reviews HTTP/1.1\r\nHost: localhost\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      await(() -> server.server().hub().clients() == 1, "the stream is open");
      long droppedBefore = dropped(server);

      // The client never reads: updates pile up in the socket, then in its queue, then it goes.
      LiveHub hub = server.server().hub();
      Map<String, String> bulky = Map.of("filler", "x".repeat(256 * 1024));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (hub.clients() > 0 && System.nanoTime() < deadline) {
        hub.publishSnapshot(
            new LiveHub.PipelineEvent("reviews", List.of(), Instant.now().toString(), bulky));
      }

      assertThat(hub.clients()).as("the stream that does not read is dropped").isZero();
      assertThat(dropped(server)).isGreaterThan(droppedBefore);
    }
  }

  @Test
  void aConnectionThatMakesNoProgressIsClosed() throws Exception {
    try (TestServer server =
            TestServer.start(
                Optional.empty(),
                SluiceServer.HttpPolicy.defaults().withIdleTimeout(Duration.ofSeconds(1)));
        Socket slow = RawHttp.connect(server.server().port())) {
      // Half a request, and then nothing: the connection must not be held for ever.
      slow.getOutputStream()
          .write(
              "GET /api/info HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = slow.getInputStream();
      in.transferTo(java.io.OutputStream.nullOutputStream()); // returns once the server closes
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  private static long dropped(TestServer server) {
    return ReviewApiIT.counter(server.get("/metrics").body(), "sluice_sse_clients_dropped_total");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not so within " + WAIT + ": " + what);
      }
      Thread.sleep(50);
    }
  }
}
