package dev.sluice.spark.model;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A model stage without parameters that adds one column, computed from another by a function. Saved
 * and loaded with the model like any MLlib stage; each subclass has the constructor taking a uid
 * and the static {@code read()} that MLlib calls by reflection when it loads a model.
 */
public abstract class ColumnStage extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final String input;
  private final String output;
  private final DataType outputType;
  private final UserDefinedFunction function;

  ColumnStage(
      String uid, String input, String output, DataType outputType, UserDefinedFunction function) {
    this.uid = uid;
    this.input = input;
    this.output = output;
    this.outputType = outputType;
    this.function = function;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return dataset.withColumn(output, function.apply(dataset.col(input)));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!Arrays.asList(schema.fieldNames()).contains(input)) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " needs a column '" + input + "'");
    }
    return schema.add(output, outputType, false);
  }

  @Override
  public Transformer copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
