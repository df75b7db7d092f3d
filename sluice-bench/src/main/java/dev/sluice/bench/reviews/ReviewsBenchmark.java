package dev.sluice.bench.reviews;

import dev.sluice.bench.BenchRecords;
import dev.sluice.bench.BenchTarget;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.Ledger;
import dev.sluice.bench.PipelineBenchmark;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.SentimentModels;
import dev.sluice.loadgen.reviews.ImdbDataset;
import dev.sluice.loadgen.reviews.ReviewSource;
import dev.sluice.loadgen.reviews.ReviewSources;
import dev.sluice.spark.model.SentimentModel;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.reviews.ReviewsJob;
import dev.sluice.spark.reviews.ReviewsPipeline;
import dev.sluice.store.Database;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The reviews pipeline's benchmark part, behind {@code ./sluice bench reviews}:
 *
 * <ul>
 *   <li><b>Records</b>: all 50,000 IMDB reviews, cycled with fresh ids ({@link CycledReviews}).
 *   <li><b>Spark part</b>: the reviews job with the newest model, loaded once for both
 *       measurements.
 *   <li><b>Plain loop</b>: decode, tokenize, count words in memory ({@link WordCounting}).
 *   <li><b>Checks</b>: the predictions hold every valid review the ledger counts; the word counts
 *       in {@code word_counts} equal the plain loop's exactly.
 * </ul>
 */
public final class ReviewsBenchmark implements PipelineBenchmark<WordCounting> {
  @Override
  public List<String> missingInputs(SluiceConfig config) {
    List<String> problems = new ArrayList<>();
    Path dataset = dataset(config);
    if (!Files.isRegularFile(dataset)) {
      problems.add("no IMDB dataset at " + dataset + ": fetch it with './sluice dataset'");
    }
    if (SentimentModels.newest(config.models()).isEmpty()) {
      problems.add(
          "no sentiment model under "
              + SentimentModels.root(config.models())
              + ": train one with './sluice train'");
    }
    return problems;
  }

  @Override
  public String unit() {
    return "reviews";
  }

  @Override
  public BenchRecords records(SluiceConfig config) {
    Path dataset = dataset(config);
    ReviewSource source = ReviewSources.imdbFile(dataset, true);
    List<Review> reviews;
    try (Stream<Review> pass = source.pass()) {
      reviews = pass.toList();
    }
    return new CycledReviews(reviews, "IMDB reviews from " + dataset);
  }

  /** The model is loaded here, once, so neither measurement times its loading. */
  @Override
  public SparkPipeline sparkJob(
      PipelineDefinition definition, SluiceConfig config, PrintStream progress) {
    SentimentModel model = SentimentModel.loadNewest(config.models());
    progress.println("spark: model " + model.version() + " loaded");
    // As users run it: review ids claimed, duplicates quarantined.
    return context ->
        List.of(ReviewsJob.start(context, new ReviewsPipeline(model, context.recordIds())));
  }

  @Override
  public WordCounting plainLoopThread(BenchTarget target) {
    return new WordCounting();
  }

  @Override
  public Optional<String> checkDrained(Database database, Ledger ledger) {
    long predictions = predictions(database);
    if (predictions != ledger.records() - ledger.quarantined()) {
      throw new InvalidRunException(
          "the predictions table holds "
              + predictions
              + " rows for the "
              + (ledger.records() - ledger.quarantined())
              + " valid reviews the ledger counts: reviews were lost or doubled");
    }
    return Optional.of("the predictions hold every valid review");
  }

  @Override
  public String checkAgainstPlainLoop(BenchTarget drained, List<WordCounting> plainLoop) {
    Map<String, Long> counts = new HashMap<>();
    for (WordCounting thread : plainLoop) {
      thread.counts().forEach((word, count) -> counts.merge(word, count, Long::sum));
    }
    compareWordCounts(wordCounts(drained.database()), counts);
    return String.format(
        Locale.ROOT,
        "its word counts equal the pipeline's (%,d distinct words, %,d occurrences)",
        counts.size(),
        counts.values().stream().mapToLong(Long::longValue).sum());
  }

  private static Path dataset(SluiceConfig config) {
    return config.datasets().resolve(ImdbDataset.FILE_NAME);
  }

  /** Both computed every word of every valid review: any difference is a bug in one of them. */
  static void compareWordCounts(Map<String, Long> pipeline, Map<String, Long> plainLoop) {
    if (pipeline.equals(plainLoop)) {
      return;
    }
    TreeSet<String> differing = new TreeSet<>();
    for (String word : pipeline.keySet()) {
      if (!Objects.equals(pipeline.get(word), plainLoop.get(word))) {
        differing.add(word);
      }
    }
    for (String word : plainLoop.keySet()) {
      if (!pipeline.containsKey(word)) {
        differing.add(word);
      }
    }
    List<String> examples = new ArrayList<>();
    for (String word : differing) {
      if (examples.size() == 5) {
        break;
      }
      examples.add(
          "'" + word + "': pipeline " + pipeline.get(word) + ", plain loop " + plainLoop.get(word));
    }
    throw new InvalidRunException(
        "the pipeline's word counts differ from the plain loop's in "
            + differing.size()
            + " words ("
            + pipeline.size()
            + " vs "
            + plainLoop.size()
            + " distinct), e.g. "
            + String.join("; ", examples));
  }

  private static long predictions(Database database) {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM predictions")) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the predictions: " + e.getMessage(), e);
    }
  }

  private static Map<String, Long> wordCounts(Database database) {
    Map<String, Long> counts = new HashMap<>();
    try (Connection connection = database.connect()) {
      // A cursor instead of the whole table in one result: the driver fetches only with autocommit
      // off.
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(10_000);
        try (ResultSet rows = statement.executeQuery("SELECT word, count FROM word_counts")) {
          while (rows.next()) {
            counts.put(rows.getString(1), rows.getLong(2));
          }
        }
      }
      connection.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the word counts: " + e.getMessage(), e);
    }
    return counts;
  }
}
