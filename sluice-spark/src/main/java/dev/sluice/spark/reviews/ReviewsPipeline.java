package dev.sluice.spark.reviews;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.sluice.core.reviews.Sentiment;
import dev.sluice.spark.model.LinearScorer;
import dev.sluice.spark.model.SentimentModel;
import dev.sluice.spark.model.TokenizeStage;
import dev.sluice.spark.stream.DecodeOrQuarantine;
import dev.sluice.spark.stream.RecordIds;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The reviews pipeline: word counts, sentiment predictions with running accuracy, and quarantine of
 * malformed records, from review events on Kafka.
 *
 * <ul>
 *   <li><b>Input</b>: Kafka records of topic {@code reviews} (Spark's Kafka schema); values are
 *       review events ({@link dev.sluice.core.reviews.ReviewCodec}).
 *   <li><b>Transformation</b>: decode or quarantine (a review whose id was read before is
 *       quarantined as a duplicate); tokenize and predict with the sentiment model (the model's
 *       first stage is the same tokenizer the word counts use).
 *   <li><b>Outputs</b>: {@link ReviewsBatch}: predictions, per-batch word counts, quarantine,
 *       totals.
 *   <li><b>Guarantee</b>: a pure function of the batch; with an idempotent sink (see {@link
 *       PostgresReviewsSink}) results are exactly once.
 * </ul>
 */
public final class ReviewsPipeline {
  /** Characters of a review's text kept in its prediction row. */
  static final int EXCERPT_CHARS = 280;

  private static final ReviewDecoding DECODER = new ReviewDecoding();

  private final SentimentModel model;
  private final Optional<LinearScorer> folded;
  private final RecordIds ids;
  private Broadcast<LinearScorer> broadcast;

  /**
   * @param ids where review ids are claimed, so that a review sent twice counts once; null keeps
   *     duplicates (a test of the transformation alone)
   */
  public ReviewsPipeline(SentimentModel model, RecordIds ids) {
    this(model, ids, true);
  }

  /**
   * @param fold whether to score with the model folded into a {@link LinearScorer} when it allows;
   *     false runs every model through MLlib, which tests use to show both give the same results
   */
  ReviewsPipeline(SentimentModel model, RecordIds ids, boolean fold) {
    this.model = model;
    this.ids = ids;
    this.folded = fold ? model.scorer() : Optional.empty();
  }

  /** The version of the model this pipeline scores with. */
  public String modelVersion() {
    return model.version();
  }

  /** Whether this pipeline scores with the folded model rather than MLlib's stages. */
  public boolean scoresFolded() {
    return folded.isPresent();
  }

  public ReviewsBatch transform(Dataset<Row> kafkaRecords) {
    Dataset<Row> decoded = DecodeOrQuarantine.decode(kafkaRecords, DECODER, ids);
    Column valid = DecodeOrQuarantine.isDecoded();
    Dataset<Row> scored =
        folded.isPresent() ? scoreFolded(decoded, valid) : scoreWithMllib(decoded, valid);
    Dataset<Row> outcomes =
        scored.select(
            col("topic"),
            col("partition"),
            col("offset"),
            col("kafka_ts"),
            col("id"),
            col("score"),
            col("truth"),
            col("reason"),
            col("raw_prefix"),
            col("raw_length"),
            when(valid, substring(col("text"), 1, EXCERPT_CHARS)).as("excerpt"),
            col("tokens"),
            col("predicted"),
            col("probability"));
    return new ReviewsBatch(outcomes.persist(StorageLevel.MEMORY_AND_DISK()));
  }

  /** The decoded columns plus tokens, predicted and probability (null for rejected records). */
  private Dataset<Row> scoreFolded(Dataset<Row> decoded, Column valid) {
    synchronized (this) {
      if (broadcast == null) {
        broadcast =
            JavaSparkContext.fromSparkContext(decoded.sparkSession().sparkContext())
                .broadcast(folded.get());
      }
    }
    // A column of its own, then its fields: Spark keeps a costly function it would otherwise
    // repeat per field in a projection of its own, so each review is scored once.
    return decoded
        .withColumn("scored", FoldedScoring.udf(broadcast).apply(when(valid, col("text"))))
        .select(
            withDecoded(
                decoded,
                col("scored.tokens").as("tokens"),
                col("scored.predicted").as("predicted"),
                col("scored.probability").as("probability")));
  }

  /** The same columns through the model's MLlib stages, for models that cannot be folded. */
  private Dataset<Row> scoreWithMllib(Dataset<Row> decoded, Column valid) {
    // Rejected records go through the model with an empty text, so one pass scores the batch; their
    // prediction is discarded.
    Dataset<Row> scored =
        model
            .pipeline()
            .transform(
                decoded.withColumn(
                    TokenizeStage.INPUT, when(valid, col("text")).otherwise(lit(""))));
    return scored.select(
        withDecoded(
            decoded,
            when(valid, col(TokenizeStage.OUTPUT)).as("tokens"),
            when(
                    valid,
                    when(col("prediction").equalTo(1.0), lit(Sentiment.POS.wire()))
                        .otherwise(lit(Sentiment.NEG.wire())))
                .as("predicted"),
            when(
                    valid,
                    element_at(
                        functions.vector_to_array(col("probability"), "float64"),
                        col("prediction").cast("int").plus(1)))
                .as("probability")));
  }

  private static Column[] withDecoded(Dataset<Row> decoded, Column... added) {
    return Stream.concat(
            Arrays.stream(decoded.columns()).map(name -> col(name)), Arrays.stream(added))
        .toArray(Column[]::new);
  }
}
