package dev.sluice.server.reviews;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.pipeline.Reads;
import dev.sluice.server.pipeline.RecordIngest;
import dev.sluice.server.pipeline.ServerContext;
import dev.sluice.server.pipeline.ServerPart;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The reviews pipeline's endpoints: {@code POST /api/reviews}, {@code GET /api/words/top}, {@code
 * /api/predictions}, {@code /api/predictions/{id}} and {@code /api/accuracy} (see {@code
 * sluice-server/README.md}), its live updates, and its pages under {@code /reviews/}.
 */
public final class ReviewsServerPart implements ServerPart {
  static final int WORDS_DEFAULT = 100;
  static final int WORDS_MAX = 1000;
  static final int PREDICTIONS_DEFAULT = 100;
  static final int PREDICTIONS_MAX = 1000;
  static final int ACCURACY_DEFAULT = 1000;
  static final int ACCURACY_MAX = 10_000;

  record Words(List<ReviewsQueries.WordCount> words) {}

  record Predictions(List<ReviewsQueries.Prediction> predictions) {}

  record Accuracy(List<ReviewsQueries.AccuracyPoint> accuracy) {}

  private final ReviewsLiveFeed feed = new ReviewsLiveFeed();
  private String topic = ReviewsDefinition.TOPIC;
  private Reads reads;

  @Override
  public void start(ServerContext context) {
    reads = context.reads();
    topic = context.topic(ReviewsDefinition.INPUT);
    context
        .routes()
        .post(
            "/api/reviews",
            context.ingest(ReviewsDefinition.INPUT, "review", ReviewsServerPart::decode))
        .get("/api/words/top", this::topWords)
        .get("/api/predictions", this::predictions)
        .get("/api/predictions/{id}", this::prediction)
        .get("/api/accuracy", this::accuracy);
  }

  @Override
  public Optional<LiveFeed> liveFeed() {
    return Optional.of(feed);
  }

  @Override
  public Map<String, Object> info() {
    return Map.of("topic", topic, "max_text_chars", Review.MAX_TEXT_CHARS);
  }

  /**
   * A review is checked with the pipeline's own rules; one without an id gets a fresh UUID, and the
   * answer points to where its prediction will be.
   */
  static RecordIngest.Accepted decode(byte[] body) {
    ReviewCodec.Decoded decoded = ReviewCodec.decode(body);
    if (!decoded.ok()) {
      throw new Problem(400, decoded.reason());
    }
    Review review = decoded.review();
    boolean idFromClient = review.id() != null;
    if (!idFromClient) {
      review = review.withId(UUID.randomUUID().toString());
    }
    return new RecordIngest.Accepted(
        review.id(),
        review.id(),
        ReviewCodec.encode(review),
        "/api/predictions/" + pathSegment(review.id()),
        idFromClient);
  }

  /**
   * The id as one segment of a URL path. URLEncoder encodes for forms, where a space is "+"; in a
   * path "+" is itself, so the Location of id "a b" would name the review "a+b".
   */
  static String pathSegment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void topWords(Context ctx) {
    int limit = Reads.limit(ctx.queryParam("limit"), WORDS_DEFAULT, WORDS_MAX);
    Reads.json(ctx, reads.query(c -> new Words(ReviewsQueries.topWords(c, limit))));
  }

  private void predictions(Context ctx) {
    int limit = Reads.limit(ctx.queryParam("limit"), PREDICTIONS_DEFAULT, PREDICTIONS_MAX);
    Reads.json(ctx, reads.query(c -> new Predictions(ReviewsQueries.latestPredictions(c, limit))));
  }

  private void prediction(Context ctx) {
    String id = ctx.pathParam("id");
    ReviewsQueries.Prediction found =
        reads
            .query(c -> ReviewsQueries.prediction(c, id))
            .orElseThrow(
                () ->
                    new Problem(
                        404,
                        "no prediction for review id '"
                            + Reads.abbreviate(id)
                            + "' yet: the pipeline writes it after the "
                            + "micro-batch that reads the review commits",
                        Map.of("id", id)));
    Reads.json(ctx, found);
  }

  private void accuracy(Context ctx) {
    int limit = Reads.limit(ctx.queryParam("limit"), ACCURACY_DEFAULT, ACCURACY_MAX);
    Reads.json(ctx, reads.query(c -> new Accuracy(ReviewsQueries.accuracy(c, limit))));
  }
}
