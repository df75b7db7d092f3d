package dev.sluice.spark.revenue;

import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.stream.RecordDecoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Revenue records through {@link RevenueCodec}: its fields, and the record's {@link
 * RevenueRecord#version() version}, which orders the states of an id and identifies a duplicate;
 * anything the codec rejects is quarantined with its reason.
 */
final class RevenueDecoder implements RecordDecoder {
  static final String ID = "id";
  static final String NUMERIC_ID = "numeric_id";
  static final String REVENUE_UNITS = "revenue_units";
  static final String REVENUE_COUNTER = "revenue_counter";
  static final String TIMESTAMP = "ts";
  static final String VERSION = "version";

  @Override
  public StructType schema() {
    return new StructType()
        .add(ID, DataTypes.StringType, true)
        .add(NUMERIC_ID, DataTypes.BooleanType, true)
        .add(REVENUE_UNITS, DataTypes.LongType, true)
        .add(REVENUE_COUNTER, DataTypes.LongType, true)
        .add(TIMESTAMP, DataTypes.LongType, true)
        .add(VERSION, DataTypes.StringType, true);
  }

  @Override
  public Decoded decode(byte[] value, String topic, int partition, long offset) {
    RevenueCodec.Decoded decoded = RevenueCodec.decode(value);
    if (!decoded.ok()) {
      return Decoded.rejected(decoded.reason());
    }
    RevenueRecord record = decoded.record();
    return Decoded.of(
        record.id(),
        record.numericId(),
        record.revenueUnits(),
        record.revenueCounter(),
        record.timestamp(),
        record.version());
  }

  /** The record a decoded row holds. */
  static RevenueRecord record(Row row) {
    return new RevenueRecord(
        row.getString(row.fieldIndex(ID)),
        row.getBoolean(row.fieldIndex(NUMERIC_ID)),
        row.getLong(row.fieldIndex(REVENUE_UNITS)),
        row.getLong(row.fieldIndex(REVENUE_COUNTER)),
        row.getLong(row.fieldIndex(TIMESTAMP)));
  }
}
