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
 * into {@link PostgresReviewsSink}, with the newest sentiment model.
 */
public final class ReviewsJob implements SparkPipeline {
  private static final Logger log = LoggerFactory.getLogger(ReviewsJob.class);

  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    SentimentModel model = SentimentModel.loadNewest(context.models());
    log.info("reviews: model {} loaded from {}", model.version(), model.path());
    return List.of(start(context, new ReviewsPipeline(model, context.recordIds())));
  }

  /** Starts the query with a given pipeline (a benchmark reuses one across runs). */
  public static StreamingQuery start(PipelineContext context, ReviewsPipeline pipeline) {
    String query = ReviewsDefinition.NAME;
    BatchLedger ledger = context.ledger(query);
    return StreamingJob.start(
        context.kafkaStream(query, ReviewsDefinition.INPUT),
        pipeline::transform,
        new PostgresReviewsSink(context.database(), ledger),
        ledger,
        context.checkpoint(query),
        context.trigger());
  }
}
