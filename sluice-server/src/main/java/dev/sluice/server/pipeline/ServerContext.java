package dev.sluice.server.pipeline;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.server.Metrics;
import io.javalin.http.Handler;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;

/**
 * What the server lends a pipeline's {@link ServerPart}: its routes, reads on the read-only pool
 * and on Redis, and write endpoints into its input topics.
 */
public final class ServerContext {
  private final PipelineDefinition pipeline;
  private final Routes routes;
  private final Reads reads;
  private final Producer<String, byte[]> producer;
  private final BearerAuth auth;
  private final Metrics metrics;
  private final Function<InputTopic, String> topics;
  private final long ackTimeoutMillis;
  private final int postIdWindow;
  private final RedisReads redis;
  private final Consumer<AutoCloseable> onClose;

  /**
   * @param redis reads on the server's Redis, for the pipelines that keep their state there
   * @param onClose takes what a part opens (a subscriber, a thread) for the server to close when it
   *     stops
   */
  public ServerContext(
      PipelineDefinition pipeline,
      Routes routes,
      Reads reads,
      Producer<String, byte[]> producer,
      BearerAuth auth,
      Metrics metrics,
      Function<InputTopic, String> topics,
      long ackTimeoutMillis,
      int postIdWindow,
      RedisReads redis,
      Consumer<AutoCloseable> onClose) {
    this.pipeline = pipeline;
    this.routes = routes;
    this.reads = reads;
    this.producer = producer;
    this.auth = auth;
    this.metrics = metrics;
    this.topics = topics;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.postIdWindow = postIdWindow;
    this.redis = redis;
    this.onClose = onClose;
  }

  /** Reads on the server's Redis; each answers 503 while Redis is down or when none is set. */
  public RedisReads redis() {
    return redis;
  }

  /** Closes {@code resource} when the server stops, after the routes and the live stream. */
  public void closeOnStop(AutoCloseable resource) {
    onClose.accept(resource);
  }

  public PipelineDefinition pipeline() {
    return pipeline;
  }

  /** Where the part registers its endpoints. */
  public Routes routes() {
    return routes;
  }

  /** Queries on the server's read-only pool. */
  public Reads reads() {
    return reads;
  }

  /** The Kafka topic an input is read from (tests run on topics of their own). */
  public String topic(InputTopic input) {
    return topics.apply(input);
  }

  /**
   * A write endpoint that validates each posted body with {@code decoder} and produces it to {@code
   * input}'s topic, behind the server's bearer token. A POST repeating a recent client id (within
   * {@code SLUICE_POST_ID_WINDOW}) gets the first one's answer and produces nothing.
   *
   * @param what what one record is, for the answers, e.g. "review"
   */
  public Handler ingest(InputTopic input, String what, RecordIngest.Decoder decoder) {
    return new RecordIngest(
        pipeline.name(),
        what,
        producer,
        topic(input),
        auth,
        metrics,
        ackTimeoutMillis,
        decoder,
        postIdWindow);
  }
}
