package dev.sluice.spark.model;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The model's second stage: {@link TermPresence} features of the tokens, as a binary sparse vector.
 * One pass over the words where MLlib needs three stages (word pairs, concatenation, hashing) and
 * boxes every index on the way. Reads column {@value #INPUT}, writes column {@value #OUTPUT}.
 */
public final class TermPresenceStage extends ColumnStage {
  private static final long serialVersionUID = 1L;

  public static final String INPUT = TokenizeStage.OUTPUT;
  public static final String OUTPUT = "presence";

  private static final UserDefinedFunction PRESENCE =
      functions
          .udf(
              (UDF1<Seq<String>, Vector>) tokens -> vector(CollectionConverters.asJava(tokens)),
              SQLDataTypes.VectorType())
          .asNonNullable();

  public TermPresenceStage() {
    this(Identifiable$.MODULE$.randomUID("sluiceTermPresence"));
  }

  /** Used by MLlib when it loads a saved model. */
  public TermPresenceStage(String uid) {
    super(uid, INPUT, OUTPUT, SQLDataTypes.VectorType(), PRESENCE);
  }

  /** Used by MLlib when it loads a saved model. */
  public static MLReader<TermPresenceStage> read() {
    return new DefaultParamsReader<>();
  }

  static SparseVector vector(List<String> words) {
    int[] buckets = TermPresence.buckets(words);
    double[] ones = new double[buckets.length];
    Arrays.fill(ones, 1.0);
    return new SparseVector(TermPresence.BUCKETS, buckets, ones);
  }
}
