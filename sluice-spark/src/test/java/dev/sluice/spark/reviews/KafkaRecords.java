package dev.sluice.spark.reviews;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Rows shaped as Spark's Kafka source produces them, so the pipeline runs on local data. */
final class KafkaRecords {
  static final StructType SCHEMA =
      new StructType()
          .add("key", DataTypes.BinaryType)
          .add("value", DataTypes.BinaryType)
          .add("topic", DataTypes.StringType)
          .add("partition", DataTypes.IntegerType)
          .add("offset", DataTypes.LongType)
          .add("timestamp", DataTypes.TimestampType)
          .add("timestampType", DataTypes.IntegerType);

  private final List<Row> rows = new ArrayList<>();

  KafkaRecords add(int partition, byte[] value) {
    long offset = rows.stream().filter(r -> r.getInt(3) == partition).count();
    rows.add(
        RowFactory.create(
            null,
            value,
            "reviews",
            partition,
            offset,
            new Timestamp(1_700_000_000_000L + rows.size()),
            0));
    return this;
  }

  KafkaRecords add(int partition, String value) {
    return add(partition, value.getBytes(StandardCharsets.UTF_8));
  }

  Dataset<Row> toDataset(SparkSession spark) {
    return spark.createDataFrame(rows, SCHEMA).repartition(2);
  }
}
