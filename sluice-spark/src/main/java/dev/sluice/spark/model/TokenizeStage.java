package dev.sluice.spark.model;

import dev.sluice.core.reviews.Tokenizer;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The model's first stage: Sluice's {@link Tokenizer}, so the model sees exactly the words the
 * word counts count. Reads column {@value #INPUT}, writes column {@value #OUTPUT}. Saved and loaded
 * with the model like any MLlib stage.
 */
public final class TokenizeStage extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  public static final String INPUT = "text";
  public static final String OUTPUT = "tokens";

  static final UserDefinedFunction TOKENIZE =
      functions
          .udf((UDF1<String, List<String>>) text -> text == null ? List.of() : Tokenizer.words(text), DataTypes.createArrayType(DataTypes.StringType, false))
          .asNonNullable();

  private final String uid;

  public TokenizeStage() {
    this(Identifiable$.MODULE$.randomUID("sluiceTokenize"));
  }

  /** Used by MLlib when it loads a saved model. */
  public TokenizeStage(String uid) {
    this.uid = uid;
  }

  /** Used by MLlib when it loads a saved model. */
  public static MLReader<TokenizeStage> read() {
    return new DefaultParamsReader<>();
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return dataset.withColumn(OUTPUT, TOKENIZE.apply(dataset.col(INPUT)));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(INPUT)) {
      throw new IllegalArgumentException("TokenizeStage needs a string column '" + INPUT + "'");
    }
    return schema.add(OUTPUT, DataTypes.createArrayType(DataTypes.StringType, false), false);
  }

  @Override
  public TokenizeStage copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
