package dev.sluice.bench.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.kafka.ReliableProducer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The plain-Java baseline of {@code ./sluice bench api}: the least a server can do for an
 * acknowledged POST. The JDK's own HTTP server reads the body and produces it, as it is, with the
 * Sluice server's producer settings, and answers 202 once Kafka acknowledged it; no token, no
 * validation, no idempotency, no metrics. The benchmark runs it as its own process, as it runs the
 * Sluice server, and loads both the same way, so the ratio between them is what Sluice's write path
 * costs on top of HTTP and Kafka on whatever machine it runs.
 *
 * <p>Run by {@link ApiBench}: {@code SLUICE_KAFKA=host:port BASELINE_TOPIC=topic java -cp
 * <sluice-bench's classpath> dev.sluice.bench.api.PlainIngestServer}; it prints {@code Listening:
 * http://127.0.0.1:PORT/} once it accepts requests.
 */
public final class PlainIngestServer {
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final byte[] ACCEPTED = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);

  private PlainIngestServer() {}

  public static void main(String[] args) throws IOException {
    ParentWatch.exitWhenParentDies();
    String kafka = System.getenv("SLUICE_KAFKA");
    String topic = System.getenv("BASELINE_TOPIC");
    if (kafka == null || topic == null) {
      System.err.println("plain ingest server: SLUICE_KAFKA and BASELINE_TOPIC must be set");
      System.exit(2);
    }
    // The JDK's server writes an answer's head and body separately; with Nagle's algorithm on, the
    // body then waits for the client's delayed ACK (40 ms on Linux).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(ReliableProducer.perRecordProperties(kafka, "sluice-bench-baseline"));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    // As many threads as the Sluice server's pool has busy at this load; the answer is written by
    // the producer's callback, so none of them waits for Kafka.
    ExecutorService workers = Executors.newFixedThreadPool(8);
    server.setExecutor(workers);
    server.createContext("/api/reviews", exchange -> ingest(exchange, producer, topic));
    server.start();
    System.out.println("Listening: http://127.0.0.1:" + server.getAddress().getPort() + "/");
    System.out.flush();
  }

  private static void ingest(
      HttpExchange exchange, KafkaProducer<String, byte[]> producer, String topic)
      throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    producer.send(
        // A key per record, as the Sluice server keys by id, so records spread over the partitions.
        new ProducerRecord<>(topic, Long.toString(SEQUENCE.incrementAndGet()), body),
        (metadata, error) -> {
          try (OutputStream out = exchange.getResponseBody()) {
            if (error != null) {
              exchange.sendResponseHeaders(503, -1);
            } else {
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(202, ACCEPTED.length);
              out.write(ACCEPTED);
            }
          } catch (IOException e) {
            // the client is gone
          }
        });
  }
}
