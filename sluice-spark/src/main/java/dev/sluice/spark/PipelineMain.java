package dev.sluice.spark;

import dev.sluice.core.Topics;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.spark.model.SentimentModel;
import dev.sluice.spark.reviews.PostgresReviewsSink;
import dev.sluice.spark.reviews.ReviewsPipeline;
import dev.sluice.spark.stream.Checkpoints;
import dev.sluice.spark.stream.KafkaSource;
import dev.sluice.spark.stream.PipelineStatusListener;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.Database;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a built-in pipeline against the configured Kafka and PostgreSQL.
 *
 * <p>Run it through the launcher, which starts the embedded platform unless {@code SLUICE_KAFKA}
 * and {@code SLUICE_DB_URL} point elsewhere:
 *
 * <pre>{@code
 * ./sluice run reviews           # runs until Ctrl-C
 * ./sluice run reviews --once    # processes everything in the topic now, then exits 0
 * }</pre>
 *
 * <p>It logs the model version it loaded and one line per batch with quarantined records. Results
 * are in the tables {@code word_counts}, {@code predictions}, {@code accuracy} and {@code
 * quarantine}; the checkpoint is {@code $SLUICE_HOME/checkpoints/reviews}. Killed at any moment
 * and started again, it resumes from the checkpoint and counts every review exactly once.
 */
public final class PipelineMain {
  private static final Logger log = LoggerFactory.getLogger(PipelineMain.class);

  static final Flag<Boolean> ONCE = Flag.bool("--once", "process everything available in the topic, then exit");
  static final Flag<Long> TRIGGER_MS =
      Flag.of("--trigger-ms", Parser.longAtLeast(0), "250", "milliseconds between micro-batch starts when data keeps arriving");
  static final Flag<String> TOPIC =
      Flag.of("--topic", Parser.matching("a Kafka topic name", "[a-zA-Z0-9._-]{1,249}"), Topics.REVIEWS, "the topic to read");
  static final List<Flag<?>> FLAGS = List.of(ONCE, TRIGGER_MS, TOPIC);

  private PipelineMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    try {
      Flags flags = Flags.parse(List.of(args), FLAGS);
      if (flags.helpRequested()) {
        System.out.print(Flags.usage("./sluice run reviews", FLAGS));
        return;
      }
      if (flags.positional().size() != 1 || !flags.positional().get(0).equals(ReviewsPipeline.NAME)) {
        throw new ConfigException("expected the pipeline to run: 'reviews' (got " + flags.positional() + ")");
      }
      System.exit(runReviews(SluiceConfig.fromEnvironment(), flags.get(TOPIC), flags.isSet(ONCE), flags.get(TRIGGER_MS)));
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice run: " + problem));
      System.exit(2);
    }
  }

  static int runReviews(SluiceConfig config, String topic, boolean once, long triggerMs) {
    String kafka = config.requireKafka();
    Database database = Database.from(config);
    database.migrate();
    try (KafkaTopics topics = new KafkaTopics(kafka)) {
      topics.ensure(topic, config.reviewsPartitions());
    }
    SparkSession spark = SparkSessions.create("sluice-reviews", config);
    SentimentModel model = SentimentModel.loadNewest(config.models());
    log.info("reviews: model {} loaded from {}", model.version(), model.path());
    spark.streams().addListener(new PipelineStatusListener(database, ReviewsPipeline.NAME));
    ReviewsPipeline pipeline = new ReviewsPipeline(model);
    StreamingQuery query =
        StreamingJob.start(
            ReviewsPipeline.NAME,
            KafkaSource.stream(spark, kafka, topic, config.maxRecordsPerBatch()),
            pipeline::transform,
            new PostgresReviewsSink(database),
            Checkpoints.of(config, ReviewsPipeline.NAME),
            once ? Trigger.AvailableNow() : Trigger.ProcessingTime(triggerMs));
    log.info("reviews: reading topic {} at {}, checkpoint {}", topic, kafka, Checkpoints.of(config, ReviewsPipeline.NAME));
    try {
      query.awaitTermination();
      return 0;
    } catch (StreamingQueryException e) {
      log.error("reviews: the query failed: {}", e.getMessage());
      return 1;
    } finally {
      spark.stop();
    }
  }
}
