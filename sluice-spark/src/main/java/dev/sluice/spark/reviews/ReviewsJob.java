package dev.sluice.spark.reviews;

import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.model.SentimentModel;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.BatchLedger;
import dev.sluice.spark.stream.StreamingJob;
import java.util.List;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the reviews pipeline's one query: review events from Kafka through {@link ReviewsPipeline}
 * into {@link PostgresReviewsSink}, with the sentiment model its last committed batch used (the
 * newest when it has none, or the one {@code --model} names; see {@link SentimentModel#choose}).
 * Every batch records its model in the ledger.
 */
public final class ReviewsJob implements SparkPipeline {
  private static final Logger log = LoggerFactory.getLogger(ReviewsJob.class);

  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    String query = ReviewsDefinition.NAME;
    SentimentModel model =
        SentimentModel.choose(
            context.models(), context.model(), context.ledger(query).committedModel());
    log.info("reviews: model {} loaded from {}", model.version(), model.path());
    return List.of(start(context, new ReviewsPipeline(model, context.recordIds())));
  }

  /** Starts the query with a given pipeline (a benchmark reuses one across runs). */
  public static StreamingQuery start(PipelineContext context, ReviewsPipeline pipeline) {
    String query = ReviewsDefinition.NAME;
    BatchLedger ledger = context.ledger(query).recordingModel(pipeline.modelVersion());
    return StreamingJob.start(
        context.kafkaStream(query, ReviewsDefinition.INPUT),
        pipeline::transform,
        new PostgresReviewsSink(context.database(), ledger),
        ledger,
        context.checkpoint(query),
        context.trigger());
  }
}
