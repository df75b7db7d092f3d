package dev.sluice.core.security;

import static dev.sluice.core.records.JsonFields.json;
import static dev.sluice.core.records.JsonFields.kind;
import static dev.sluice.core.records.JsonFields.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonFields.Rejection;
import dev.sluice.core.records.JsonRecords;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decodes sensor events and says exactly why a record is rejected: which field, what was expected,
 * what was given. Decoding never throws: a bad record becomes a {@link Decoded} with a reason, so
 * the pipeline can quarantine it and go on. JSON is read by {@link JsonRecords}, so no accepted
 * string holds a character a store refuses. Addresses are checked as literals by {@link
 * AddressLiterals}; nothing here resolves a name.
 */
public final class SensorEventCodec {
  /** The last millisecond of the year 9999: later times do not fit a SQL timestamp. */
  public static final long MAX_TS = 253_402_300_799_999L;

  private static final Pattern SENSOR =
      Pattern.compile("[A-Za-z0-9._:-]{1," + SensorEvent.MAX_SENSOR_CHARS + "}");
  private static final Pattern PROTO =
      Pattern.compile("[a-z][a-z0-9.+-]{0," + (SensorEvent.MAX_PROTO_CHARS - 1) + "}");

  private SensorEventCodec() {}

  /** A decoded record: exactly one of {@code event} and {@code reason} is set. */
  public record Decoded(SensorEvent event, String reason) {
    public boolean ok() {
      return event != null;
    }
  }

  public static Decoded decode(byte[] value) {
    JsonRecords.Parsed parsed = JsonRecords.parse(value);
    return parsed.ok() ? decode(parsed.object()) : rejected(parsed.reason());
  }

  public static Decoded decode(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates an already parsed JSON value against the sensor event schema. */
  public static Decoded decode(JsonNode root) {
    JsonRecords.Parsed parsed = JsonRecords.check(root);
    if (!parsed.ok()) {
      return rejected(parsed.reason());
    }
    try {
      String id = requiredText(root, "id");
      checkLength("id", id, 1, SensorEvent.MAX_ID_CHARS);
      long ts = ts(root);
      String sensor = requiredText(root, "sensor");
      if (!SENSOR.matcher(sensor).matches()) {
        throw new Rejection(
            "sensor must be 1 to "
                + SensorEvent.MAX_SENSOR_CHARS
                + " of A-Z a-z 0-9 . _ : -, got "
                + quote(sensor));
      }
      String src = requiredText(root, "src");
      if (!AddressLiterals.isIp(src)) {
        throw new Rejection("src must be an IPv4 or IPv6 address, got " + quote(src));
      }
      String dst = requiredText(root, "dst");
      if (!AddressLiterals.isIp(dst) && !AddressLiterals.isHostName(dst)) {
        throw new Rejection(
            "dst must be a host name or an IPv4 or IPv6 address, got " + quote(dst));
      }
      Integer dstPort = port(root);
      String proto = optionalText(root, "proto");
      if (proto != null && !PROTO.matcher(proto).matches()) {
        throw new Rejection(
            "proto must be 1 to "
                + SensorEvent.MAX_PROTO_CHARS
                + " lowercase characters (a-z first, then a-z 0-9 . + -), e.g. \"tcp\", got "
                + quote(proto));
      }
      String method = optionalText(root, "method");
      if (method != null
          && (method.isEmpty()
              || method.length() > SensorEvent.MAX_METHOD_CHARS
              || !isToken(method))) {
        throw new Rejection(
            "method must be an HTTP token of 1 to "
                + SensorEvent.MAX_METHOD_CHARS
                + " characters (letters, digits and !#$%&'*+-.^_`|~), got "
                + quote(method));
      }
      String path = path(root);
      if (method != null && path == null) {
        throw new Rejection("path is missing: an event with a method needs the request's path");
      }
      Map<String, String> headers = headers(root);
      String payload = optionalText(root, "payload");
      if (payload != null) {
        long bytes = utf8Length(payload);
        if (bytes > SensorEvent.MAX_PAYLOAD_BYTES) {
          throw new Rejection(
              "payload has "
                  + bytes
                  + " bytes of UTF-8, more than the limit of "
                  + SensorEvent.MAX_PAYLOAD_BYTES);
        }
      }
      Long bytes = wholeNumber(root, "bytes");
      return new Decoded(
          new SensorEvent(
              id, ts, sensor, src, dst, dstPort, proto, method, path, headers, payload, bytes),
          null);
    } catch (Rejection e) {
      return rejected(e.getMessage());
    }
  }

  /** The wire form of an event: only the fields that are set. */
  public static byte[] encode(SensorEvent event) {
    ObjectNode node = JsonRecords.newObject();
    node.put("id", event.id());
    node.put("ts", event.ts());
    node.put("sensor", event.sensor());
    node.put("src", event.src());
    node.put("dst", event.dst());
    if (event.dstPort() != null) {
      node.put("dst_port", event.dstPort());
    }
    putIfSet(node, "proto", event.proto());
    putIfSet(node, "method", event.method());
    putIfSet(node, "path", event.path());
    if (event.headers() != null) {
      ObjectNode headers = node.putObject("headers");
      event.headers().forEach(headers::put);
    }
    putIfSet(node, "payload", event.payload());
    if (event.bytes() != null) {
      node.put("bytes", event.bytes());
    }
    return JsonRecords.write(node);
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static long ts(JsonNode root) throws Rejection {
    JsonNode node = root.get("ts");
    if (node == null || node.isNull()) {
      throw new Rejection("ts is missing");
    }
    if (!node.isIntegralNumber()
        || !node.canConvertToLong()
        || node.longValue() < 0
        || node.longValue() > MAX_TS) {
      throw new Rejection(
          "ts must be epoch milliseconds, a whole number from 0 to "
              + MAX_TS
              + " (the end of year 9999), got "
              + kind(node)
              + " "
              + json(node));
    }
    return node.longValue();
  }

  private static Integer port(JsonNode root) throws Rejection {
    JsonNode node = root.get("dst_port");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.intValue() < 0
        || node.intValue() > 65_535) {
      throw new Rejection(
          "dst_port must be a whole number from 0 to 65535, got " + kind(node) + " " + json(node));
    }
    return node.intValue();
  }

  private static Long wholeNumber(JsonNode root, String field) throws Rejection {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new Rejection(
          field + " must be a whole number of at least 0, got " + kind(node) + " " + json(node));
    }
    return node.longValue();
  }

  private static String path(JsonNode root) throws Rejection {
    String path = optionalText(root, "path");
    if (path == null) {
      return null;
    }
    checkLength("path", path, 1, SensorEvent.MAX_PATH_CHARS);
    if (!path.startsWith("/") && !path.equals("*")) {
      throw new Rejection(
          "path must be a request target starting with \"/\" (or \"*\"), got " + quote(path));
    }
    int at = firstSpaceOrControl(path, false);
    if (at >= 0) {
      throw new Rejection(
          "path must not contain spaces or control characters (a client percent-encodes them),"
              + " got "
              + codePoint(path, at)
              + " at character "
              + (path.codePointCount(0, at) + 1));
    }
    return path;
  }

  private static Map<String, String> headers(JsonNode root) throws Rejection {
    JsonNode node = root.get("headers");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new Rejection(
          "headers must be an object of header names to string values, got " + kind(node));
    }
    if (node.size() > SensorEvent.MAX_HEADERS) {
      throw new Rejection(
          "headers has "
              + node.size()
              + " entries, more than the limit of "
              + SensorEvent.MAX_HEADERS);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> namesSeen = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (name.isEmpty() || name.length() > SensorEvent.MAX_HEADER_NAME_CHARS || !isToken(name)) {
        throw new Rejection(
            "a header name must be an HTTP token of 1 to "
                + SensorEvent.MAX_HEADER_NAME_CHARS
                + " characters (letters, digits and !#$%&'*+-.^_`|~), got "
                + quote(name));
      }
      String earlier = namesSeen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      if (earlier != null) {
        throw new Rejection(
            "headers has "
                + quote(earlier)
                + " and "
                + quote(name)
                + ": header names are case-insensitive, so each may appear once");
      }
      JsonNode value = field.getValue();
      if (!value.isTextual()) {
        throw new Rejection(
            "header " + quote(name) + " must have a string value, got " + kind(value));
      }
      String text = value.textValue();
      if (text.length() > SensorEvent.MAX_HEADER_VALUE_CHARS) {
        throw new Rejection(
            "header "
                + quote(name)
                + " has "
                + text.length()
                + " characters, more than the limit of "
                + SensorEvent.MAX_HEADER_VALUE_CHARS);
      }
      int at = firstSpaceOrControl(text, true);
      if (at >= 0) {
        throw new Rejection(
            "header "
                + quote(name)
                + " must not contain control characters other than tab, got "
                + codePoint(text, at)
                + " at character "
                + (text.codePointCount(0, at) + 1));
      }
      headers.put(name, text);
    }
    return headers;
  }

  /**
   * The index of the first control character (C0 or DEL), or of a space too unless {@code
   * headerValue}: a header value may hold spaces and tabs, a request target neither. CR and LF are
   * what header injection is made of.
   */
  private static int firstSpaceOrControl(String text, boolean headerValue) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || c == 0x7f;
      if (headerValue ? control && c != '\t' : control || c == ' ') {
        return i;
      }
    }
    return -1;
  }

  /** RFC 9110 token: what a method and a header name are made of. */
  private static boolean isToken(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        // Storable text has only paired surrogates: the pair is one 4-byte character.
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static String requiredText(JsonNode root, String field) throws Rejection {
    String text = optionalText(root, field);
    if (text == null) {
      throw new Rejection(field + " is missing");
    }
    return text;
  }

  private static String optionalText(JsonNode root, String field) throws Rejection {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new Rejection(field + " must be a string, got " + kind(node));
    }
    return node.textValue();
  }

  private static void checkLength(String field, String text, int min, int max) throws Rejection {
    int length = text.codePointCount(0, text.length());
    if (length < min || length > max) {
      throw new Rejection(
          field + " must have " + min + " to " + max + " characters, got " + length);
    }
  }

  private static Decoded rejected(String reason) {
    return new Decoded(null, reason);
  }

  private static String codePoint(String text, int index) {
    return String.format(Locale.ROOT, "U+%04X", text.codePointAt(index));
  }
}
