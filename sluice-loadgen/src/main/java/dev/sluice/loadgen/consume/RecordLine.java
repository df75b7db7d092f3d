package dev.sluice.loadgen.consume;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One Kafka record as one line of JSON, for {@code jq} and friends: {@code
 * {"topic":..,"partition":..,"offset":..,"timestamp":..,"key":..,"value":..}}.
 *
 * <ul>
 *   <li>{@code timestamp}: epoch milliseconds, a number ({@code jq '.timestamp / 1000 | todate'});
 *   <li>{@code key}: the key's text, or null;
 *   <li>{@code value}: the value itself when it is one JSON value (so {@code jq '.value.id'}
 *       works), else its text as a string; null for a record without a value. Numbers keep every
 *       digit they were written with.
 *   <li>a key or value that is not UTF-8 text comes as {@code null} with {@code key_base64} or
 *       {@code value_base64} beside it, so no byte is lost or silently replaced.
 * </ul>
 */
final class RecordLine {
  private static final ObjectMapper JSON =
      JsonMapper.builder(JsonFactory.builder().build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          // 12.50 stays 12.50: a tree would otherwise strip the zeros the producer wrote.
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private RecordLine() {}

  static String of(ConsumerRecord<byte[], byte[]> record) {
    ObjectNode line = JSON.createObjectNode();
    line.put("topic", record.topic());
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", record.timestamp());
    putText(line, "key", record.key());
    byte[] value = record.value();
    String text = value == null ? null : utf8(value);
    JsonNode inline = text == null ? null : json(value);
    if (inline != null) {
      line.set("value", inline);
    } else {
      putText(line, "value", value);
    }
    try {
      return JSON.writeValueAsString(line);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static void putText(ObjectNode line, String field, byte[] bytes) {
    if (bytes == null) {
      line.putNull(field);
      return;
    }
    String text = utf8(bytes);
    if (text != null) {
      line.put(field, text);
    } else {
      line.putNull(field);
      line.put(field + "_base64", Base64.getEncoder().encodeToString(bytes));
    }
  }

  /** The bytes as text, or null when they are not valid UTF-8. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The bytes as one JSON value with nothing after it, or null. */
  private static JsonNode json(byte[] bytes) {
    try (JsonParser parser = JSON.createParser(bytes)) {
      JsonNode node = JSON.readTree(parser);
      if (node == null || node.isMissingNode() || parser.nextToken() != null) {
        return null;
      }
      return node;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
