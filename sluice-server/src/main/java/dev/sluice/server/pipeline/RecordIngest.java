package dev.sluice.server.pipeline;

import dev.sluice.server.Json;
import dev.sluice.server.Metrics;
import dev.sluice.server.Problem;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A write endpoint that turns one JSON body into one Kafka record of a pipeline's input topic:
 * checks the bearer token and the media type, bounds the body, validates it with the pipeline's own
 * rules ({@link Decoder}), and answers 202 only once Kafka has acknowledged the record ({@code
 * acks=all}), so every accepted record is durable.
 */
public final class RecordIngest implements Handler {
  /** The largest body any write endpoint reads. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /**
   * What to produce for a valid body.
   *
   * @param id the record's id: the client's, or one the decoder assigned
   * @param idFromClient whether the client gave the id: only then can a repeated POST be known as a
   *     retry of the first, and answered with the first one's result instead of writing twice
   */
  public record Accepted(
      String id, String key, byte[] value, String location, boolean idFromClient) {}

  /** The pipeline's validation of a body. */
  @FunctionalInterface
  public interface Decoder {
    /**
     * The record to produce, or a {@link Problem} (400) saying what is wrong with the body, in the
     * same words the pipeline's quarantine would use.
     */
    Accepted decode(byte[] body);
  }

  /** The answer to an accepted record: where it is in Kafka. */
  record Receipt(String id, String topic, int partition, long offset) {}

  private final String pipeline;
  private final String what;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final BearerAuth auth;
  private final Metrics metrics;
  private final long ackTimeoutMillis;
  private final Decoder decoder;
  private final RecentPosts recent;

  /**
   * @param what what one record is, for the answers, e.g. "review"
   * @param ackTimeoutMillis a bound on the wait for Kafka, above the producer's own {@code
   *     delivery.timeout.ms} (which answers first, with a 503)
   * @param postIdWindow how many of the most recent client ids to remember; 0 for none
   */
  RecordIngest(
      String pipeline,
      String what,
      Producer<String, byte[]> producer,
      String topic,
      BearerAuth auth,
      Metrics metrics,
      long ackTimeoutMillis,
      Decoder decoder,
      int postIdWindow) {
    this.pipeline = pipeline;
    this.what = what;
    this.producer = producer;
    this.topic = topic;
    this.auth = auth;
    this.metrics = metrics;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.decoder = decoder;
    this.recent = postIdWindow > 0 ? new RecentPosts(postIdWindow) : null;
  }

  @Override
  public void handle(Context ctx) {
    try {
      auth.check(ctx);
    } catch (Problem p) {
      metrics.rejected(pipeline, "unauthorized");
      throw p;
    }
    try {
      requireJson(ctx.header("Content-Type"));
    } catch (Problem p) {
      metrics.rejected(pipeline, "not_json");
      throw p;
    }
    byte[] body = readBody(ctx);
    Accepted accepted;
    try {
      accepted = decoder.decode(body);
    } catch (Problem p) {
      metrics.rejected(pipeline, "invalid");
      throw p;
    }
    if (recent == null || !accepted.idFromClient()) {
      send(ctx, accepted, null);
      return;
    }
    byte[] digest = digest(accepted);
    RecentPosts.Claim claim = recent.claim(accepted.id(), digest);
    if (claim.first()) {
      send(ctx, accepted, claim.entry());
      return;
    }
    if (!MessageDigest.isEqual(claim.entry().digest, digest)) {
      metrics.rejected(pipeline, "conflict");
      throw new Problem(
          409,
          "a "
              + what
              + " with id '"
              + Reads.abbreviate(accepted.id())
              + "' was already posted with a different body: a retry must repeat the body, a new "
              + what
              + " needs a new id",
          Map.of("id", accepted.id()));
    }
    // A retry: the first post's answer, once it has one, and nothing produced again.
    answerWith(ctx, accepted, claim.entry().outcome, 200);
  }

  /**
   * Produces the record and answers when Kafka acknowledges it. With an entry of the recent posts,
   * the outcome is kept there for retries; a failure forgets the entry first, so a retry produces
   * again.
   */
  private void send(Context ctx, Accepted record, RecentPosts.Entry entry) {
    CompletableFuture<Receipt> outcome =
        entry != null ? entry.outcome : new CompletableFuture<Receipt>();
    answerWith(ctx, record, outcome, 202);
    long start = System.nanoTime();
    try {
      producer.send(
          new ProducerRecord<>(topic, record.key(), record.value()),
          (metadata, error) -> {
            if (error != null) {
              failed(outcome, entry, notAcknowledged(record, error.getMessage()));
            } else {
              metrics.produced(pipeline, System.nanoTime() - start);
              outcome.complete(
                  new Receipt(record.id(), topic, metadata.partition(), metadata.offset()));
            }
          });
    } catch (KafkaException | IllegalStateException e) {
      // Thrown before the record was queued (IllegalStateException: the producer is closing).
      // Failing the outcome, not throwing, also releases retries waiting for it.
      failed(outcome, entry, notAcknowledged(record, e.getMessage()));
    }
  }

  private void failed(
      CompletableFuture<Receipt> outcome, RecentPosts.Entry entry, Problem problem) {
    if (entry != null) {
      recent.forget(entry);
    }
    outcome.completeExceptionally(problem);
  }

  /**
   * Answers once the outcome is known, without holding a thread while waiting. The answer is
   * written with a non-blocking send, so the producer's I/O thread, which completes the outcome,
   * never waits for a client, even one that does not read its answers.
   */
  private void answerWith(
      Context ctx, Accepted record, CompletableFuture<Receipt> outcome, int status) {
    Response response = Request.getBaseRequest(ctx.req()).getResponse();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    ctx.future(
        () -> {
          // A safety net only: delivery.timeout.ms makes Kafka call back well before this.
          ctx.req().getAsyncContext().setTimeout(ackTimeoutMillis);
          return answered;
        });
    outcome.whenComplete(
        (receipt, error) -> {
          if (error != null) {
            Problem problem =
                error instanceof Problem p
                    ? p
                    : notAcknowledged(record, String.valueOf(error.getMessage()));
            answer(
                response, problem.status(), Problem.CONTENT_TYPE, null, problem.body(), answered);
          } else {
            answer(
                response,
                status,
                "application/json",
                record.location(),
                Json.bytes(receipt),
                answered);
          }
        });
  }

  /** What identifies a record's content: its key and value, as they would be produced. */
  private static byte[] digest(Accepted record) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(record.key().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(record.value());
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static void answer(
      Response response,
      int status,
      String contentType,
      String location,
      byte[] body,
      CompletableFuture<Void> answered) {
    response.setStatus(status);
    response.setContentType(contentType);
    if (location != null) {
      response.setHeader("Location", location);
    }
    response.setContentLength(body.length);
    response
        .getHttpOutput()
        .sendContent(
            ByteBuffer.wrap(body),
            new Callback() {
              @Override
              public void succeeded() {
                answered.complete(null);
              }

              @Override
              public void failed(Throwable x) {
                // The client is gone; what Kafka acknowledged stays acknowledged.
                answered.complete(null);
              }
            });
  }

  private Problem notAcknowledged(Accepted record, String why) {
    metrics.produceFailed(pipeline);
    return new Problem(
        503,
        "Kafka did not acknowledge the "
            + what
            + " ("
            + why
            + "); it may or may not have been written: "
            + "retry with the same id",
        Map.of("id", record.id()));
  }

  /**
   * Only JSON is accepted. Besides being the format, this keeps other sites' plain HTML forms from
   * posting here: a cross-site JSON request needs a CORS preflight, which this server never grants.
   */
  static void requireJson(String contentType) {
    String mediaType =
        contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new Problem(
          415,
          "the body must be JSON sent with 'Content-Type: application/json'"
              + (contentType == null
                  ? " (no Content-Type was given)"
                  : " (got '" + Reads.abbreviate(contentType) + "')"));
    }
  }

  private byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_BODY_BYTES) {
      throw tooLarge(declared + " bytes");
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = readAtMost(in, MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw tooLarge("more than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw new Problem(400, "cannot read the request body: " + e.getMessage());
    }
  }

  private Problem tooLarge(String size) {
    metrics.rejected(pipeline, "too_large");
    return new Problem(
        413,
        "the body has "
            + size
            + "; a "
            + what
            + " may have at most "
            + MAX_BODY_BYTES
            + " bytes (64 KiB)");
  }

  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] buffer = new byte[Math.min(limit, 8192)];
    int length = 0;
    while (length < limit) {
      if (length == buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
      }
      int read = in.read(buffer, length, buffer.length - length);
      if (read < 0) {
        break;
      }
      length += read;
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }
}
