package dev.sluice.spark.reviews;

import dev.sluice.core.reviews.Sentiment;
import dev.sluice.core.reviews.Tokenizer;
import dev.sluice.spark.model.LinearScorer;
import dev.sluice.spark.model.TermPresence;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Tokenizes and scores a review in one call with a {@link LinearScorer}: the tokens the word counts
 * need, the predicted sentiment and its probability. The scorer travels as a broadcast, so each
 * executor receives its weights once rather than with every task.
 */
final class FoldedScoring {
  static final StructType SCHEMA =
      new StructType()
          .add("tokens", DataTypes.createArrayType(DataTypes.StringType, false), false)
          .add("predicted", DataTypes.StringType, false)
          .add("probability", DataTypes.DoubleType, false);

  private FoldedScoring() {}

  /** A function of the review text; null text (a rejected record) gives null. */
  static UserDefinedFunction udf(Broadcast<LinearScorer> scorer) {
    return functions.udf(
        (UDF1<String, Row>) text -> text == null ? null : score(scorer.value(), text), SCHEMA);
  }

  static Row score(LinearScorer scorer, String text) {
    List<String> words = Tokenizer.words(text);
    double margin = scorer.margin(TermPresence.buckets(words));
    Sentiment predicted = scorer.predict(margin);
    return RowFactory.create(words, predicted.wire(), LinearScorer.probability(margin, predicted));
  }
}
