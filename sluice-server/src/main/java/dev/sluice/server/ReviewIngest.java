package dev.sluice.server;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/reviews}: validates one review with the pipeline's own rules ({@link
 * ReviewCodec}), gives it an id when it has none, and answers 202 only once Kafka has acknowledged
 * it ({@code acks=all}), so every accepted review is durable.
 */
final class ReviewIngest {
  static final int MAX_BODY_BYTES = 64 * 1024;

  /** The response to an accepted review: where it is in Kafka. */
  record Accepted(String id, String topic, int partition, long offset) {}

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final BearerAuth auth;
  private final Metrics metrics;
  private final long ackTimeoutMillis;

  /**
   * @param ackTimeoutMillis a bound on the wait for Kafka, above the producer's own {@code
   *     delivery.timeout.ms} (which answers first, with a 503)
   */
  ReviewIngest(
      Producer<String, byte[]> producer,
      String topic,
      BearerAuth auth,
      Metrics metrics,
      long ackTimeoutMillis) {
    this.producer = producer;
    this.topic = topic;
    this.auth = auth;
    this.metrics = metrics;
    this.ackTimeoutMillis = ackTimeoutMillis;
  }

  void handle(Context ctx) {
    try {
      auth.check(ctx);
    } catch (Problem p) {
      metrics.rejected("unauthorized");
      throw p;
    }
    try {
      requireJson(ctx.header("Content-Type"));
    } catch (Problem p) {
      metrics.rejected("not_json");
      throw p;
    }
    byte[] body = readBody(ctx);
    ReviewCodec.Decoded decoded = ReviewCodec.decode(body);
    if (!decoded.ok()) {
      metrics.rejected("invalid");
      throw new Problem(400, decoded.reason());
    }
    Review review = decoded.review();
    if (review.id() == null) {
      review = review.withId(UUID.randomUUID().toString());
    }
    send(ctx, review);
  }

  /**
   * Produces the review and answers when Kafka acknowledges it, without holding a thread while
   * waiting. The answer is written from the producer's callback with a non-blocking send, so the
   * producer's I/O thread never waits for a client, even one that does not read its answers.
   */
  private void send(Context ctx, Review review) {
    Response response = Request.getBaseRequest(ctx.req()).getResponse();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    ctx.future(
        () -> {
          // A safety net only: delivery.timeout.ms makes Kafka call back well before this.
          ctx.req().getAsyncContext().setTimeout(ackTimeoutMillis);
          return answered;
        });
    long start = System.nanoTime();
    try {
      producer.send(
          new ProducerRecord<>(topic, review.id(), ReviewCodec.encode(review)),
          (metadata, error) -> {
            if (error != null) {
              Problem problem = notAcknowledged(review, error.getMessage());
              answer(
                  response, problem.status(), Problem.CONTENT_TYPE, null, problem.body(), answered);
            } else {
              metrics.produced(System.nanoTime() - start);
              answer(
                  response,
                  202,
                  "application/json",
                  "/api/predictions/" + URLEncoder.encode(review.id(), StandardCharsets.UTF_8),
                  Json.bytes(
                      new Accepted(review.id(), topic, metadata.partition(), metadata.offset())),
                  answered);
            }
          });
    } catch (KafkaException e) {
      // Thrown before the record was queued; Javalin then answers this problem instead.
      throw notAcknowledged(review, e.getMessage());
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
                answered.complete(
                    null); // the client is gone; what Kafka acknowledged stays acknowledged
              }
            });
  }

  private Problem notAcknowledged(Review review, String why) {
    metrics.produceFailed();
    return new Problem(
        503,
        "Kafka did not acknowledge the review ("
            + why
            + "); it may or may not have been written: "
            + "retry with the same id",
        Map.of("id", review.id()));
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
                  : " (got '" + abbreviate(contentType) + "')"));
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
    metrics.rejected("too_large");
    return new Problem(
        413,
        "the body has "
            + size
            + "; a review may have at most "
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

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }
}
