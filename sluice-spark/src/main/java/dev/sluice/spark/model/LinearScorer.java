package dev.sluice.spark.model;

import dev.sluice.core.reviews.Sentiment;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.linalg.Vector;

/**
 * A trained logistic-regression sentiment model folded into one weight per feature bucket, so a
 * review is scored by adding the weights of its buckets: no feature vectors, no stage per step.
 *
 * <p>Why it gives MLlib's exact answer: the features are binary, so the IDF stage turns bucket
 * {@code i} into {@code idf[i]} and the classifier's margin is the sum over the review's buckets,
 * in ascending order, of {@code idf[i] * coefficient[i]}, plus the intercept. That is the sum this
 * class computes, in the same order, on the same products.
 */
public final class LinearScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The first bytes of a scorer file, with the format's version. */
  private static final String FILE_HEADER = "sluice-linear-scorer-1";

  private final double[] weights;
  private final double intercept;
  private final double threshold;

  /** The margin above which a review is positive: the probability threshold as a log-odds. */
  private final double marginThreshold;

  private LinearScorer(double[] weights, double intercept, double threshold) {
    this.weights = weights;
    this.intercept = intercept;
    this.threshold = threshold;
    this.marginThreshold =
        threshold == 0.0
            ? Double.NEGATIVE_INFINITY
            : threshold == 1.0 ? Double.POSITIVE_INFINITY : Math.log(threshold / (1.0 - threshold));
  }

  /**
   * The folded form of a model trained by {@link SentimentTrainer} with logistic regression, or
   * empty for any other model (a random forest, or a model saved before {@link TermPresenceStage}),
   * which must then be run through MLlib.
   */
  public static Optional<LinearScorer> of(PipelineModel model) {
    Transformer[] stages = model.stages();
    if (stages.length != 4
        || !(stages[0] instanceof TokenizeStage)
        || !(stages[1] instanceof TermPresenceStage)
        || !(stages[2] instanceof IDFModel idf)
        || !(stages[3] instanceof LogisticRegressionModel classifier)
        || !idf.getInputCol().equals(TermPresenceStage.OUTPUT)
        || !classifier.getFeaturesCol().equals(idf.getOutputCol())
        || classifier.numClasses() != 2
        || classifier.coefficientMatrix().numRows() != 1 // a multinomial fit of two classes
        || classifier.numFeatures() != TermPresence.BUCKETS
        || idf.idf().size() != TermPresence.BUCKETS) {
      return Optional.empty();
    }
    Vector idfs = idf.idf();
    Vector coefficients = classifier.coefficients();
    double[] weights = new double[TermPresence.BUCKETS];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = idfs.apply(i) * coefficients.apply(i);
    }
    return Optional.of(
        new LinearScorer(weights, classifier.intercept(), classifier.getThreshold()));
  }

  /**
   * Writes the scorer to {@code file} (about 2 MB), atomically: a reader finds the whole file or
   * none.
   */
  public void write(Path file) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
      out.writeUTF(FILE_HEADER);
      out.writeInt(weights.length);
      out.writeDouble(intercept);
      out.writeDouble(threshold);
      for (double weight : weights) {
        out.writeDouble(weight);
      }
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** A scorer {@link #write} wrote; empty when the file is of another format or size. */
  public static Optional<LinearScorer> read(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!in.readUTF().equals(FILE_HEADER) || in.readInt() != TermPresence.BUCKETS) {
        return Optional.empty();
      }
      double intercept = in.readDouble();
      double threshold = in.readDouble();
      double[] weights = new double[TermPresence.BUCKETS];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = in.readDouble();
      }
      return Optional.of(new LinearScorer(weights, intercept, threshold));
    }
  }

  /** The classifier's margin (log-odds of positive) for a review with these buckets, ascending. */
  public double margin(int[] buckets) {
    double sum = 0.0;
    for (int bucket : buckets) {
      sum += weights[bucket];
    }
    return sum + intercept;
  }

  public Sentiment predict(double margin) {
    return margin > marginThreshold ? Sentiment.POS : Sentiment.NEG;
  }

  /** The probability of a sentiment given the margin, computed as MLlib computes it. */
  public static double probability(double margin, Sentiment sentiment) {
    double negative = 1.0 / (1.0 + Math.exp(margin));
    return sentiment == Sentiment.POS ? 1.0 - negative : negative;
  }
}
