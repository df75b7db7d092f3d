package dev.sluice.spark.testpipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.spark.stream.RecordDecoder;
import java.io.IOException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The test pipelines' events: JSON objects {@code {"key": 1 to 40 characters, "<number>": a whole
 * number of at least a minimum}}; anything else is rejected with the reason.
 */
final class KeyedNumberDecoder implements RecordDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String number;
  private final long minimum;

  KeyedNumberDecoder(String number, long minimum) {
    this.number = number;
    this.minimum = minimum;
  }

  @Override
  public StructType schema() {
    return new StructType().add("key", DataTypes.StringType).add(number, DataTypes.LongType);
  }

  @Override
  public Decoded decode(byte[] value, String topic, int partition, long offset) {
    JsonNode event;
    try {
      event = JSON.readTree(value);
    } catch (IOException e) {
      return Decoded.rejected("not JSON: " + e.getMessage());
    }
    if (event == null || !event.isObject()) {
      return Decoded.rejected("expected a JSON object");
    }
    JsonNode key = event.get("key");
    if (key == null || !key.isTextual() || key.asText().isEmpty() || key.asText().length() > 40) {
      return Decoded.rejected("key must be a string of 1 to 40 characters");
    }
    JsonNode field = event.get(number);
    if (field == null
        || !field.canConvertToExactIntegral()
        || !field.canConvertToLong()
        || field.asLong() < minimum) {
      return Decoded.rejected(number + " must be a whole number of at least " + minimum);
    }
    return Decoded.of(key.asText(), field.asLong());
  }
}
