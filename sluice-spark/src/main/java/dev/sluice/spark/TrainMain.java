package dev.sluice.spark;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.spark.model.Classifier;
import dev.sluice.spark.model.SentimentTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Trains the sentiment model and prints its metrics on the held-out fifth as one JSON object.
 *
 * <p>Run it through the launcher, which fetches the IMDB reviews on first use:
 *
 * <pre>{@code
 * ./sluice train                     # logistic regression, about a minute on 2 cores
 * ./sluice train --classifier rf     # the original design's random forest, for comparison
 * ./sluice train --cv                # pick the regularization by 3-fold cross-validation
 * }</pre>
 *
 * <p>Expected output on stdout (numbers vary a little by machine):
 *
 * <pre>{@code
 * {"version":"20261121-070102-lr","classifier":"lr",...,"accuracy":0.89,"f1":0.89,"roc_auc":0.95,...}
 * }</pre>
 *
 * The model is saved under {@code $SLUICE_HOME/models/sentiment/<version>}; pipelines load the
 * newest version when they start.
 */
public final class TrainMain {
  static final Flag<Path> INPUT =
      Flag.of(
          "--input",
          Parser.path(),
          null,
          "JSON lines of labelled reviews (default: the IMDB dataset)");
  static final Flag<Classifier> CLASSIFIER =
      Flag.of(
          "--classifier",
          Parser.of("lr or rf", Classifier::fromFlag),
          "lr",
          "lr: logistic regression; rf: random forest");
  static final Flag<Boolean> CROSS_VALIDATE =
      Flag.bool("--cv", "choose hyper-parameters by 3-fold cross-validation");
  static final Flag<Integer> SAMPLE =
      Flag.of(
          "--sample",
          Parser.intBetween(0, Integer.MAX_VALUE),
          "0",
          "train and test on N reviews picked by a hash of their id (0: all)");
  static final Flag<Long> SEED =
      Flag.of("--seed", Parser.longAtLeast(0), "42", "seed for every random choice");
  static final List<Flag<?>> FLAGS = List.of(INPUT, CLASSIFIER, CROSS_VALIDATE, SAMPLE, SEED);

  private TrainMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    try {
      Flags flags = Flags.parse(List.of(args), FLAGS);
      if (flags.helpRequested()) {
        System.out.print(Flags.usage("./sluice train", FLAGS));
        return;
      }
      SluiceConfig config = SluiceConfig.fromEnvironment();
      Path input = flags.optional(INPUT).orElse(config.datasets().resolve("imdb.jsonl"));
      if (!Files.isRegularFile(input)) {
        throw new ConfigException(
            "no training data at "
                + input
                + ": run './sluice dataset' to fetch the IMDB reviews, or pass --input FILE");
      }
      SentimentTrainer.Options options =
          new SentimentTrainer.Options(
              flags.get(CLASSIFIER),
              flags.isSet(CROSS_VALIDATE),
              flags.get(SAMPLE),
              flags.get(SEED));
      SparkSession spark = SparkSessions.create("sluice-train", config);
      try {
        System.out.println(
            SentimentTrainer.train(spark, input, config.models(), options).toString());
      } finally {
        spark.stop();
      }
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice train: " + problem));
      System.exit(2);
    }
  }
}
