package dev.sluice.spark.stream;

import org.apache.spark.sql.Row;

/**
 * One Kafka record through {@link DecodeOrQuarantine}'s row function, as its UDF runs it on an
 * executor, for tests of a pipeline's decoder that need no Spark session.
 */
public final class DecodedRows {
  private DecodedRows() {}

  /**
   * The decoder's fields, then {@code reason, raw_prefix, raw_length}, as {@link
   * DecodeOrQuarantine#decode} selects them.
   */
  public static Row row(
      RecordDecoder decoder, byte[] value, String topic, Integer partition, Long offset) {
    return DecodeOrQuarantine.row(
        decoder,
        decoder.schema().size(),
        DecodeOrQuarantine.textFields(decoder.schema()),
        value,
        topic,
        partition,
        offset);
  }
}
