package dev.sluice.core.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sensor saw, as it travels on the {@value #TOPIC} topic (JSON, UTF-8, keyed by id): one
 * request to a web application, or one connection a network sensor logged. {@link SensorEventCodec}
 * enforces the limits below; {@code sluice-loadgen/README.md} is the contract.
 *
 * @param id 1 to {@value #MAX_ID_CHARS} characters, unique per event
 * @param ts event time, epoch milliseconds
 * @param sensor the sensor's name: 1 to {@value #MAX_SENSOR_CHARS} of {@code A-Z a-z 0-9 . _ : -}
 * @param src the client: an IPv4 or IPv6 literal
 * @param dst the target: a host name or an IP literal
 * @param dstPort optional destination port, 0 to 65535
 * @param proto optional protocol, lowercase, e.g. {@code tcp}, {@code udp}, {@code http}
 * @param method optional HTTP method (an HTTP token); requires {@code path}
 * @param path optional request target with its query string, {@code /...} or {@code *}
 * @param headers optional request headers, names unique ignoring case, in wire order; {@code null}
 *     when absent
 * @param payload optional body or message, at most {@value #MAX_PAYLOAD_BYTES} bytes of UTF-8
 * @param bytes optional size on the wire, at least 0
 */
public record SensorEvent(
    String id,
    long ts,
    String sensor,
    String src,
    String dst,
    Integer dstPort,
    String proto,
    String method,
    String path,
    Map<String, String> headers,
    String payload,
    Long bytes) {
  /** Sensor events (JSON, UTF-8), keyed by event id. */
  public static final String TOPIC = "sensor-events";

  public static final int MAX_ID_CHARS = 200;
  public static final int MAX_SENSOR_CHARS = 100;
  public static final int MAX_PROTO_CHARS = 16;
  public static final int MAX_METHOD_CHARS = 32;

  /** Longer than any request line a common server accepts (nginx's default is 8 KiB). */
  public static final int MAX_PATH_CHARS = 8_192;

  public static final int MAX_HEADERS = 100;
  public static final int MAX_HEADER_NAME_CHARS = 256;
  public static final int MAX_HEADER_VALUE_CHARS = 8_192;

  /** 64 KiB: enough for a form or a message; a detector inspects at most this much anyway. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  public SensorEvent {
    if (headers != null) {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
  }

  /** An event of a network sensor: no request, only who talked to whom. */
  public static SensorEvent connection(
      String id,
      long ts,
      String sensor,
      String src,
      String dst,
      Integer dstPort,
      String proto,
      Long bytes) {
    return new SensorEvent(id, ts, sensor, src, dst, dstPort, proto, null, null, null, null, bytes);
  }
}
