package dev.sluice.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads a Server-Sent Events stream in the background and queues its events for assertions. */
public final class SseReader implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event: its name and its data, parsed as JSON. */
  public record Event(String name, JsonNode data, String raw) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> received = new CopyOnWriteArrayList<>();
  private final HttpResponse<InputStream> response;
  private final Thread reader;

  public SseReader(HttpClient http, URI uri) throws IOException, InterruptedException {
    this(http, uri, null);
  }

  /** A stream opened with {@code Authorization: Bearer <token>}, unless the token is null. */
  public SseReader(HttpClient http, URI uri, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    this.response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = "message";
      StringBuilder data = new StringBuilder();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            String raw = data.toString();
            Event event = new Event(name, JSON.readTree(raw), raw);
            received.add(event);
            events.add(event);
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith("event: ")) {
          name = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data.append(line.substring("data: ".length()));
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  /** The next event matching, skipping others; fails after the timeout. */
  public Event next(Predicate<Event> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (event == null) {
        throw new AssertionError("no matching event within " + timeout);
      }
      if (wanted.test(event)) {
        return event;
      }
    }
  }

  /** Every event received so far, in order, including those {@link #next} skipped. */
  public List<Event> received() {
    return List.copyOf(received);
  }

  public Event next(String name, Duration timeout) throws InterruptedException {
    return next(e -> e.name().equals(name), timeout);
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already closed
    }
    reader.interrupt();
  }
}
