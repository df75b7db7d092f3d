package dev.sluice.spark.calls;

import dev.sluice.core.calls.PoliceCall;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.spark.stream.RecordDecoder;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The calls query's decoder: a police call ({@link PoliceCallCodec}) as the fields the hourly
 * counts need, its {@code call_date_time} as epoch milliseconds ({@value #CALL_MS}).
 */
final class CallsDecoding implements RecordDecoder {
  private static final long serialVersionUID = 1L;

  static final String CRIME_ID = "crime_id";
  static final String CALL_TYPE = "call_type";
  static final String DISPOSITION = "disposition";
  static final String CALL_MS = "call_ms";

  static final StructType FIELDS =
      new StructType()
          .add(CRIME_ID, DataTypes.StringType)
          .add(CALL_TYPE, DataTypes.StringType)
          .add(DISPOSITION, DataTypes.StringType)
          .add(CALL_MS, DataTypes.LongType);

  @Override
  public StructType schema() {
    return FIELDS;
  }

  /** A call sent twice (a producer's retry, a file replayed again) counts once. */
  @Override
  public Optional<String> idField() {
    return Optional.of(CRIME_ID);
  }

  @Override
  public Decoded decode(byte[] value, String topic, int partition, long offset) {
    PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(value);
    if (!decoded.ok()) {
      return Decoded.rejected(decoded.reason());
    }
    PoliceCall call = decoded.call();
    return Decoded.of(
        call.crimeId(), call.callType(), call.disposition(), decoded.callEpochMillis());
  }
}
