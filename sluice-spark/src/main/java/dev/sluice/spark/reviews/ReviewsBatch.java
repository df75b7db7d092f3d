package dev.sluice.spark.reviews;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sluice.spark.stream.DecodeOrQuarantine;
import dev.sluice.spark.stream.StreamingJob;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The results of one micro-batch of the reviews pipeline. They are all views of one cached dataset,
 * so the topic is read, decoded and scored once per batch however many outputs use it.
 */
public final class ReviewsBatch implements StreamingJob.BatchResults {
  private final Dataset<Row> outcomes;

  ReviewsBatch(Dataset<Row> outcomes) {
    this.outcomes = outcomes;
  }

  /**
   * One row per valid review: coordinates, id, excerpt, score, truth, predicted, probability,
   * kafka_ts.
   */
  public Dataset<Row> predictions() {
    return outcomes
        .where(col("reason").isNull())
        .select(
            "topic",
            "partition",
            "offset",
            "id",
            "excerpt",
            "predicted",
            "probability",
            "truth",
            "score",
            "kafka_ts");
  }

  /** One row per rejected record, as {@link DecodeOrQuarantine#rejected} gives them. */
  public Dataset<Row> quarantine() {
    return DecodeOrQuarantine.rejected(outcomes);
  }

  /** How often each word occurs in this batch's valid reviews: (word, count). */
  public Dataset<Row> wordCounts() {
    return outcomes
        .where(col("reason").isNull())
        .select(explode(col("tokens")).as("word"))
        .groupBy("word")
        .agg(count("*").as("count"));
  }

  /** The batch's totals, computed by the executors; only these few numbers reach the driver. */
  public Totals totals() {
    Row row =
        outcomes
            .agg(
                count("*"),
                sum(when(col("reason").isNotNull(), 1).otherwise(0)),
                sum(when(col("truth").isNotNull(), 1).otherwise(0)),
                sum(when(col("truth").equalTo(col("predicted")), 1).otherwise(0)))
            .first();
    long records = row.getLong(0);
    long quarantined = row.isNullAt(1) ? 0 : row.getLong(1);
    return new Totals(
        records,
        quarantined,
        row.isNullAt(2) ? 0 : row.getLong(2),
        row.isNullAt(3) ? 0 : row.getLong(3));
  }

  /**
   * @param records Kafka records read
   * @param quarantined of which were rejected
   * @param withTruth valid reviews that have a ground truth
   * @param correct of which the prediction matched
   */
  public record Totals(long records, long quarantined, long withTruth, long correct) {
    public long reviews() {
      return records - quarantined;
    }
  }

  @Override
  public void close() {
    outcomes.unpersist();
  }
}
