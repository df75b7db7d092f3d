package dev.sluice.spark.model;

import dev.sluice.core.reviews.Tokenizer;
import java.util.List;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The model's first stage: Sluice's {@link Tokenizer}, so the model sees exactly the words the word
 * counts count. Reads column {@value #INPUT}, writes column {@value #OUTPUT}.
 */
public final class TokenizeStage extends ColumnStage {
  private static final long serialVersionUID = 1L;

  public static final String INPUT = "text";
  public static final String OUTPUT = "tokens";

  private static final DataType TOKENS = DataTypes.createArrayType(DataTypes.StringType, false);
  static final UserDefinedFunction TOKENIZE =
      functions
          .udf(
              (UDF1<String, List<String>>) text -> text == null ? List.of() : Tokenizer.words(text),
              TOKENS)
          .asNonNullable();

  public TokenizeStage() {
    this(Identifiable$.MODULE$.randomUID("sluiceTokenize"));
  }

  /** Used by MLlib when it loads a saved model. */
  public TokenizeStage(String uid) {
    super(uid, INPUT, OUTPUT, TOKENS, TOKENIZE);
  }

  /** Used by MLlib when it loads a saved model. */
  public static MLReader<TokenizeStage> read() {
    return new DefaultParamsReader<>();
  }
}
