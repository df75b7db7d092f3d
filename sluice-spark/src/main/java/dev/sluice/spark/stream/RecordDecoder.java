package dev.sluice.spark.stream;

import java.io.Serializable;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;

/**
 * A pipeline's decoder: one Kafka record's value to the fields of its {@link #schema()}, or the
 * reason it is rejected. Runs on executors, once per record, so it must be serializable and must
 * never throw for bad input: {@link DecodeOrQuarantine} turns a rejection into a quarantine row.
 */
public interface RecordDecoder extends Serializable {
  /** The decoded fields, in the order {@link Decoded#fields()} gives them. */
  StructType schema();

  /**
   * Decodes one value. {@code topic}, {@code partition} and {@code offset} locate the record, for
   * decoders that derive a stable id from them.
   */
  Decoded decode(byte[] value, String topic, int partition, long offset);

  /**
   * The field of {@link #schema()} that holds the record's own id, when records carry one: a record
   * whose id was read before is then rejected as a duplicate ({@link RecordIds}). Empty by default:
   * records are told apart by their Kafka coordinates only.
   */
  default Optional<String> idField() {
    return Optional.empty();
  }

  /** Exactly one of {@code fields} (in {@link #schema()} order) and {@code reason} is set. */
  record Decoded(Object[] fields, String reason) {
    public static Decoded of(Object... fields) {
      return new Decoded(fields, null);
    }

    public static Decoded rejected(String reason) {
      return new Decoded(null, reason);
    }
  }
}
