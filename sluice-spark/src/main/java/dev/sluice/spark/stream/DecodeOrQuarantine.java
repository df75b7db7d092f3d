package dev.sluice.spark.stream;

import static org.apache.spark.sql.functions.col;

import dev.sluice.core.records.StorableText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Decode-or-quarantine, written once for every pipeline: each Kafka record becomes either the
 * decoder's fields or a rejection (reason, the value's first bytes and its length), never an
 * exception, so one bad record never stops a pipeline. {@link QuarantineWriter} stores the
 * rejections; the batch ledger counts them.
 */
public final class DecodeOrQuarantine {
  /** How many bytes of a rejected record are kept, enough to see what was wrong. */
  public static final int RAW_PREFIX_BYTES = 1024;

  /** The column that holds the reason a record was rejected; null for a decoded record. */
  public static final String REASON = "reason";

  private DecodeOrQuarantine() {}

  /**
   * The records with their Kafka coordinates ({@code topic, partition, offset, kafka_ts}), the
   * decoder's fields, and {@code reason, raw_prefix, raw_length} (null when decoded).
   */
  public static Dataset<Row> decode(Dataset<Row> kafkaRecords, RecordDecoder decoder) {
    return decode(kafkaRecords, decoder, null);
  }

  /**
   * Like {@link #decode(Dataset, RecordDecoder)}, and when the decoder names an {@link
   * RecordDecoder#idField() id field}, rejects every record whose id {@code ids} already holds for
   * another record (see {@link RecordIds}).
   *
   * @param ids null to keep duplicates
   */
  public static Dataset<Row> decode(
      Dataset<Row> kafkaRecords, RecordDecoder decoder, RecordIds ids) {
    StructType decoded =
        decoder
            .schema()
            .add(REASON, DataTypes.StringType)
            .add("raw_prefix", DataTypes.BinaryType)
            .add("raw_length", DataTypes.IntegerType);
    int fields = decoder.schema().size();
    String[] textFields = textFields(decoder.schema());
    UserDefinedFunction udf =
        functions
            .udf(
                (UDF4<byte[], String, Integer, Long, Row>)
                    (value, topic, partition, offset) ->
                        row(decoder, fields, textFields, value, topic, partition, offset),
                decoded)
            .asNonNullable();
    Optional<String> idField = ids == null ? Optional.empty() : decoder.idField();
    List<Column> coordinates =
        List.of(col("topic"), col("partition"), col("offset"), col("timestamp").as("kafka_ts"));
    List<Column> decoding = new ArrayList<>(coordinates);
    decoding.add(
        udf.apply(col("value"), col("topic"), col("partition"), col("offset")).as("decoded"));
    List<Column> flattened =
        new ArrayList<>(
            List.of(
                col("topic"), col("partition"), col("offset"), col("kafka_ts"), col("decoded.*")));
    if (idField.isPresent()) {
      // A duplicate's quarantine row keeps its first bytes, like any rejected record's.
      decoding.add(col("value"));
      flattened.add(col("value"));
    }
    Dataset<Row> rows =
        kafkaRecords
            .select(decoding.toArray(Column[]::new))
            .select(flattened.toArray(Column[]::new));
    if (idField.isEmpty()) {
      return rows;
    }
    return ids.rejectDuplicates(
        rows, rows.drop("value").schema(), decoder.schema().fieldIndex(idField.get()));
  }

  /**
   * The rejected rows of {@link #decode}: {@code topic, partition, offset, reason, raw_prefix,
   * raw_length, kafka_ts}, what {@link QuarantineWriter} stores.
   */
  public static Dataset<Row> rejected(Dataset<Row> decoded) {
    return decoded
        .where(col(REASON).isNotNull())
        .select("topic", "partition", "offset", REASON, "raw_prefix", "raw_length", "kafka_ts");
  }

  /** Whether a row of {@link #decode} was decoded. */
  public static Column isDecoded() {
    return col(REASON).isNull();
  }

  /** The names of the string fields, by position; null for the others. */
  static String[] textFields(StructType schema) {
    String[] names = new String[schema.size()];
    for (int i = 0; i < names.length; i++) {
      if (schema.fields()[i].dataType().equals(DataTypes.StringType)) {
        names[i] = schema.fields()[i].name();
      }
    }
    return names;
  }

  static Row row(
      RecordDecoder decoder,
      int fields,
      String[] textFields,
      byte[] value,
      String topic,
      Integer partition,
      Long offset) {
    Object[] values = new Object[fields + 3];
    decodeInto(values, 0, decoder, fields, textFields, value, topic, partition, offset);
    return RowFactory.create(values);
  }

  /**
   * Each Kafka record of a partition ({@code value, topic, partition, offset, timestamp}, in this
   * order) as a row of {@link #decode} with the raw {@code value} last, decoded as it is read: the
   * executors' side of {@link QuarantineWriter#quarantineOnTheWay}, which needs no Spark expression
   * between the records and its own pass over them.
   */
  static Iterator<Row> decodeEach(Iterator<Row> records, RecordDecoder decoder) {
    int fields = decoder.schema().size();
    String[] textFields = textFields(decoder.schema());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Row next() {
        Row record = records.next();
        byte[] value = (byte[]) record.get(0);
        String topic = record.getString(1);
        int partition = record.getInt(2);
        long offset = record.getLong(3);
        Object[] values = new Object[4 + fields + 4];
        values[0] = topic;
        values[1] = partition;
        values[2] = offset;
        values[3] = record.get(4);
        decodeInto(values, 4, decoder, fields, textFields, value, topic, partition, offset);
        values[values.length - 1] = value;
        return RowFactory.create(values);
      }
    };
  }

  /** Writes the decoder's fields, or the rejection's reason, prefix and length, from {@code at}. */
  private static void decodeInto(
      Object[] values,
      int at,
      RecordDecoder decoder,
      int fields,
      String[] textFields,
      byte[] value,
      String topic,
      Integer partition,
      Long offset) {
    byte[] raw = value == null ? new byte[0] : value;
    RecordDecoder.Decoded result;
    try {
      result = decoder.decode(raw, topic, partition, offset);
    } catch (RuntimeException e) {
      // A decoder's bug must not stop the pipeline either: the record is quarantined with it.
      result = RecordDecoder.Decoded.rejected("the decoder failed: " + e);
    }
    if (result.reason() == null) {
      result = unstorableField(result, textFields);
    }
    if (result.reason() == null) {
      System.arraycopy(result.fields(), 0, values, at, fields);
    } else {
      // A reason may quote the input: it must be storable itself.
      values[at + fields] = StorableText.replaceUnstorable(result.reason());
      values[at + fields + 1] = Arrays.copyOf(raw, Math.min(raw.length, RAW_PREFIX_BYTES));
      values[at + fields + 2] = raw.length;
    }
  }

  /**
   * The decoded record, or its rejection when a string field holds what no store can: checked here
   * once for every pipeline, whatever its decoder checked, because such a value would fail its
   * batch on every replay.
   */
  private static RecordDecoder.Decoded unstorableField(
      RecordDecoder.Decoded decoded, String[] textFields) {
    Object[] values = decoded.fields();
    for (int i = 0; i < textFields.length; i++) {
      if (textFields[i] != null && values[i] instanceof String text) {
        Optional<String> problem = StorableText.problem(textFields[i], text);
        if (problem.isPresent()) {
          return RecordDecoder.Decoded.rejected(problem.get());
        }
      }
    }
    return decoded;
  }
}
