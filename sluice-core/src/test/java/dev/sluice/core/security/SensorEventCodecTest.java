package dev.sluice.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.security.SensorEventCodec.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SensorEventCodecTest {
  private static final String EMOJI = "\ud83d\ude00"; // one code point, four bytes of UTF-8

  /** The required fields, to which each test adds what it is about. */
  private static final String BASE =
      "\"id\":\"e1\",\"ts\":1700000000123,\"sensor\":\"waf-1\",\"src\":\"192.0.2.7\","
          + "\"dst\":\"shop.example.com\"";

  private static SensorEvent accepted(String json) {
    Decoded decoded = SensorEventCodec.decode(json);
    assertThat(decoded.reason()).as("reason for %s", json).isNull();
    assertThat(decoded.ok()).isTrue();
    return decoded.event();
  }

  private static String rejectedReason(String json) {
    Decoded decoded = SensorEventCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded.ok()).as("decoded %s", decoded).isFalse();
    assertThat(decoded.event()).isNull();
    assertThat(decoded.reason()).isNotBlank();
    return decoded.reason();
  }

  private static String with(String fields) {
    return "{" + BASE + (fields.isEmpty() ? "" : "," + fields) + "}";
  }

  @Test
  void decodesTheRequiredFieldsAlone() {
    assertThat(accepted(with("")))
        .isEqualTo(
            new SensorEvent(
                "e1",
                1_700_000_000_123L,
                "waf-1",
                "192.0.2.7",
                "shop.example.com",
                null,
                null,
                null,
                null,
                null,
                null,
                null));
  }

  @Test
  void decodesAnApplicationEventWithEveryField() {
    SensorEvent event =
        accepted(
            with(
                "\"dst_port\":443,\"proto\":\"https\",\"method\":\"POST\","
                    + "\"path\":\"/search?q=caf%C3%A9&page=2\","
                    + "\"headers\":{\"Host\":\"shop.example.com\",\"User-Agent\":\"Mozilla/5.0\\t(X11)\"},"
                    + "\"payload\":\"Café naïve 東京 "
                    + EMOJI
                    + "\",\"bytes\":512"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "shop.example.com");
    headers.put("User-Agent", "Mozilla/5.0\t(X11)");
    assertThat(event)
        .isEqualTo(
            new SensorEvent(
                "e1",
                1_700_000_000_123L,
                "waf-1",
                "192.0.2.7",
                "shop.example.com",
                443,
                "https",
                "POST",
                "/search?q=caf%C3%A9&page=2",
                headers,
                "Café naïve 東京 " + EMOJI,
                512L));
    assertThat(event.headers().keySet()).containsExactly("Host", "User-Agent");
  }

  @Test
  void encodeWritesOnlyWhatIsSetAndDecodesToTheSameEvent() {
    SensorEvent network =
        SensorEvent.connection("n1", 0, "netflow-2", "2001:db8::7", "10.0.0.1", 22, "tcp", 60L);
    assertThat(new String(SensorEventCodec.encode(network), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\"n1\",\"ts\":0,\"sensor\":\"netflow-2\",\"src\":\"2001:db8::7\","
                + "\"dst\":\"10.0.0.1\",\"dst_port\":22,\"proto\":\"tcp\",\"bytes\":60}");
    assertThat(SensorEventCodec.decode(SensorEventCodec.encode(network)).event())
        .isEqualTo(network);
    SensorEvent request =
        new SensorEvent(
            "r\"1",
            5,
            "waf:edge.1",
            "::ffff:192.0.2.1",
            "api.example.org",
            8080,
            "http",
            "GET",
            "/a?b=<script>",
            Map.of("X-Note", "caf\u00e9 \"quoted\""),
            "'; DROP TABLE users;--",
            0L);
    assertThat(SensorEventCodec.decode(SensorEventCodec.encode(request)).event())
        .isEqualTo(request);
  }

  @Test
  void treatsNullOptionalFieldsAsAbsentAndIgnoresUnknownFields() {
    assertThat(
            accepted(
                with(
                    "\"dst_port\":null,\"proto\":null,\"method\":null,\"path\":null,"
                        + "\"headers\":null,\"payload\":null,\"bytes\":null,\"extra\":[1,{}]")))
        .isEqualTo(accepted(with("")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "ts", "sensor", "src", "dst"})
  void rejectsAMissingOrNullRequiredField(String field) {
    String missing = with("").replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\d+),?", "");
    String nulled =
        with("").replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\d+)", "\"" + field + "\":null");
    assertThat(rejectedReason(missing.replace(",}", "}"))).isEqualTo(field + " is missing");
    assertThat(rejectedReason(nulled)).isEqualTo(field + " is missing");
  }

  static Stream<Arguments> rejections() {
    String required = "\"ts\":1,\"sensor\":\"s\",\"src\":\"10.0.0.1\",\"dst\":\"h\"";
    return Stream.of(
        // id
        Arguments.of("{\"id\":\"\"," + required + "}", "id must have 1 to 200 characters, got 0"),
        Arguments.of(
            "{\"id\":\"" + "x".repeat(201) + "\"," + required + "}",
            "id must have 1 to 200 characters, got 201"),
        Arguments.of("{\"id\":7," + required + "}", "id must be a string, got a number"),
        // ts
        Arguments.of(
            with("").replace("1700000000123", "-1"),
            "ts must be epoch milliseconds, a whole number from 0 to 253402300799999 (the end of"
                + " year 9999), got a number -1"),
        Arguments.of(
            with("").replace("1700000000123", "1.5"),
            "ts must be epoch milliseconds, a whole number from 0 to 253402300799999 (the end of"
                + " year 9999), got a decimal number 1.5"),
        Arguments.of(
            with("").replace("1700000000123", "253402300800000"),
            "ts must be epoch milliseconds, a whole number from 0 to 253402300799999 (the end of"
                + " year 9999), got a number 253402300800000"),
        Arguments.of(
            with("").replace("1700000000123", "\"1700000000123\""),
            "ts must be epoch milliseconds, a whole number from 0 to 253402300799999 (the end of"
                + " year 9999), got a string \"1700000000123\""),
        // sensor
        Arguments.of(
            with("").replace("waf-1", "waf 1"),
            "sensor must be 1 to 100 of A-Z a-z 0-9 . _ : -, got \"waf 1\""),
        Arguments.of(
            with("").replace("waf-1", ""),
            "sensor must be 1 to 100 of A-Z a-z 0-9 . _ : -, got \"\""),
        Arguments.of(
            with("").replace("waf-1", "w".repeat(101)),
            "sensor must be 1 to 100 of A-Z a-z 0-9 . _ : -, got \"" + "w".repeat(40) + "...\""),
        // src
        Arguments.of(
            with("").replace("192.0.2.7", "evil.example.com"),
            "src must be an IPv4 or IPv6 address, got \"evil.example.com\""),
        Arguments.of(
            with("").replace("192.0.2.7", "192.0.2.256"),
            "src must be an IPv4 or IPv6 address, got \"192.0.2.256\""),
        Arguments.of(
            with("").replace("\"192.0.2.7\"", "3221225991"), "src must be a string, got a number"),
        // dst
        Arguments.of(
            with("").replace("shop.example.com", "shop_example.com"),
            "dst must be a host name or an IPv4 or IPv6 address, got \"shop_example.com\""),
        Arguments.of(
            with("").replace("shop.example.com", "[2001:db8::1]"),
            "dst must be a host name or an IPv4 or IPv6 address, got \"[2001:db8::1]\""),
        // dst_port
        Arguments.of(
            with("\"dst_port\":65536"),
            "dst_port must be a whole number from 0 to 65535, got a number 65536"),
        Arguments.of(
            with("\"dst_port\":-1"),
            "dst_port must be a whole number from 0 to 65535, got a number -1"),
        Arguments.of(
            with("\"dst_port\":\"443\""),
            "dst_port must be a whole number from 0 to 65535, got a string \"443\""),
        Arguments.of(
            with("\"dst_port\":80.0"),
            "dst_port must be a whole number from 0 to 65535, got a decimal number 80"),
        // proto
        Arguments.of(
            with("\"proto\":\"TCP\""),
            "proto must be 1 to 16 lowercase characters (a-z first, then a-z 0-9 . + -), e.g."
                + " \"tcp\", got \"TCP\""),
        Arguments.of(
            with("\"proto\":\"\""),
            "proto must be 1 to 16 lowercase characters (a-z first, then a-z 0-9 . + -), e.g."
                + " \"tcp\", got \"\""),
        // method
        Arguments.of(
            with("\"method\":\"GE T\",\"path\":\"/\""),
            "method must be an HTTP token of 1 to 32 characters (letters, digits and"
                + " !#$%&'*+-.^_`|~), got \"GE T\""),
        Arguments.of(
            with("\"method\":\"\",\"path\":\"/\""),
            "method must be an HTTP token of 1 to 32 characters (letters, digits and"
                + " !#$%&'*+-.^_`|~), got \"\""),
        Arguments.of(
            with("\"method\":\"GET\""),
            "path is missing: an event with a method needs the request's path"),
        // path
        Arguments.of(
            with("\"path\":\"index.html\""),
            "path must be a request target starting with \"/\" (or \"*\"), got \"index.html\""),
        Arguments.of(
            with("\"path\":\"/a b\""),
            "path must not contain spaces or control characters (a client percent-encodes them),"
                + " got U+0020 at character 3"),
        Arguments.of(
            with("\"path\":\"/" + EMOJI + "\\r\\n\""),
            "path must not contain spaces or control characters (a client percent-encodes them),"
                + " got U+000D at character 3"),
        Arguments.of(
            with("\"path\":\"/" + "a".repeat(8192) + "\""),
            "path must have 1 to 8192 characters, got 8193"),
        Arguments.of(with("\"path\":\"\""), "path must have 1 to 8192 characters, got 0"),
        // headers
        Arguments.of(
            with("\"headers\":[\"Host: a\"]"),
            "headers must be an object of header names to string values, got an array"),
        Arguments.of(
            with("\"headers\":{\"Bad Name\":\"x\"}"),
            "a header name must be an HTTP token of 1 to 256 characters (letters, digits and"
                + " !#$%&'*+-.^_`|~), got \"Bad Name\""),
        Arguments.of(
            with("\"headers\":{\"\":\"x\"}"),
            "a header name must be an HTTP token of 1 to 256 characters (letters, digits and"
                + " !#$%&'*+-.^_`|~), got \"\""),
        Arguments.of(
            with("\"headers\":{\"Host\":\"a\",\"HOST\":\"b\"}"),
            "headers has \"Host\" and \"HOST\": header names are case-insensitive, so each may"
                + " appear once"),
        Arguments.of(
            with("\"headers\":{\"X-Count\":3}"),
            "header \"X-Count\" must have a string value, got a number"),
        Arguments.of(
            with("\"headers\":{\"X-Injected\":\"a\\r\\nSet-Cookie: x\"}"),
            "header \"X-Injected\" must not contain control characters other than tab, got U+000D"
                + " at character 2"),
        Arguments.of(
            with("\"headers\":{\"Cookie\":\"" + "c".repeat(8193) + "\"}"),
            "header \"Cookie\" has 8193 characters, more than the limit of 8192"),
        Arguments.of(
            with(
                "\"headers\":{"
                    + IntStream.range(0, 101)
                        .mapToObj(i -> "\"X-H" + i + "\":\"v\"")
                        .collect(Collectors.joining(","))
                    + "}"),
            "headers has 101 entries, more than the limit of 100"),
        // payload
        Arguments.of(with("\"payload\":{\"a\":1}"), "payload must be a string, got an object"),
        Arguments.of(
            with("\"payload\":\"" + "a".repeat(65_537) + "\""),
            "payload has 65537 bytes of UTF-8, more than the limit of 65536"),
        Arguments.of(
            with("\"payload\":\"" + "é".repeat(32_769) + "\""),
            "payload has 65538 bytes of UTF-8, more than the limit of 65536"),
        // bytes
        Arguments.of(
            with("\"bytes\":-5"), "bytes must be a whole number of at least 0, got a number -5"),
        Arguments.of(
            with("\"bytes\":true"),
            "bytes must be a whole number of at least 0, got a boolean true"),
        Arguments.of(
            with("\"bytes\":99999999999999999999"),
            "bytes must be a whole number of at least 0, got a number 99999999999999999999"),
        // what JsonRecords refuses for every pipeline
        Arguments.of("[1]", "not a JSON object"),
        Arguments.of(with("\"payload\":\"a\\u0000b\""), "payload contains U+0000 at character 2"));
  }

  @ParameterizedTest
  @MethodSource("rejections")
  void rejectsWithAReasonThatNamesTheFieldTheRuleAndTheValue(String json, String reason) {
    assertThat(rejectedReason(json)).isEqualTo(reason);
  }

  @Test
  void rejectsWhatIsNotOneJsonObject() {
    assertThat(rejectedReason("")).isEqualTo("empty record: expected a JSON object");
    assertThat(rejectedReason("{\"id\":")).startsWith("not valid JSON");
    assertThat(rejectedReason(with("") + "{}")).startsWith("not valid JSON");
    assertThat(rejectedReason("{\"id\":\"a\",\"id\":\"b\"}")).startsWith("not valid JSON");
  }

  @Test
  void acceptsValuesAtTheirLimits() {
    assertThat(accepted("{" + BASE.replace("\"e1\"", "\"" + EMOJI.repeat(200) + "\"") + "}").id())
        .hasSize(400);
    assertThat(accepted(with("\"dst_port\":0")).dstPort()).isZero();
    assertThat(accepted(with("\"dst_port\":65535")).dstPort()).isEqualTo(65_535);
    assertThat(accepted(with("").replace("1700000000123", "253402300799999")).ts())
        .isEqualTo(SensorEventCodec.MAX_TS);
    assertThat(accepted(with("\"path\":\"/" + "a".repeat(8191) + "\"")).path()).hasSize(8192);
    assertThat(accepted(with("\"method\":\"OPTIONS\",\"path\":\"*\"")).path()).isEqualTo("*");
    assertThat(accepted(with("\"payload\":\"" + "a".repeat(65_536) + "\"")).payload())
        .hasSize(65_536);
    assertThat(accepted(with("\"payload\":\"" + EMOJI.repeat(16_384) + "\"")).payload())
        .hasSize(32_768);
    String hundred =
        IntStream.range(0, 100)
            .mapToObj(i -> "\"X-H" + i + "\":\"v\"")
            .collect(Collectors.joining(","));
    assertThat(accepted(with("\"headers\":{" + hundred + "}")).headers()).hasSize(100);
    assertThat(accepted(with("\"headers\":{}")).headers()).isEmpty();
    assertThat(accepted(with("\"bytes\":9223372036854775807")).bytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(accepted(with("").replace("waf-1", "w".repeat(100))).sensor()).hasSize(100);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "255.255.255.255",
        "10.0.0.1",
        "::",
        "::1",
        "1::",
        "2001:db8::",
        "2001:DB8:0:0:0:0:0:1",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "::ffff:192.0.2.1",
        "1:2:3:4:5:6:192.0.2.1",
        "fe80::1:2"
      })
  void acceptsIpLiteralsAsSourceAndTarget(String address) {
    assertThat(accepted(with("").replace("192.0.2.7", address)).src()).isEqualTo(address);
    assertThat(accepted(with("").replace("shop.example.com", address)).dst()).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.04",
        "256.1.1.1",
        "1.2.3.4 ",
        " 1.2.3.4",
        "1..3.4",
        "1.2.3.",
        "0x7f.0.0.1",
        "localhost",
        ":",
        ":::",
        "1:",
        ":1",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2::3",
        "12345::",
        "g::1",
        "fe80::1%eth0",
        "[::1]",
        "::1.2.3",
        "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::ffff:256.1.1.1",
        "１.２.３.４"
      })
  void rejectsWhatIsNotAnIpLiteralWithoutResolvingIt(String text) {
    assertThat(AddressLiterals.isIp(text)).as(text).isFalse();
    assertThat(rejectedReason(with("").replace("192.0.2.7", text)))
        .startsWith("src must be an IPv4 or IPv6 address, got \"");
  }

  @Test
  void hostNamesFollowRfc1123() {
    assertThat(AddressLiterals.isHostName("shop.example.com")).isTrue();
    assertThat(AddressLiterals.isHostName("a")).isTrue();
    assertThat(AddressLiterals.isHostName("xn--caf-dma.example")).isTrue();
    assertThat(AddressLiterals.isHostName("3com.example")).isTrue();
    assertThat(AddressLiterals.isHostName("a".repeat(63) + ".b")).isTrue();
    String longest = ("a".repeat(61) + ".").repeat(4) + "a";
    assertThat(longest).hasSize(249);
    assertThat(AddressLiterals.isHostName(longest + "bbbb")).isTrue();
    assertThat(AddressLiterals.isHostName(longest + "bbbbb")).isFalse();
    assertThat(AddressLiterals.isHostName("a".repeat(64) + ".b")).isFalse();
    assertThat(AddressLiterals.isHostName("")).isFalse();
    assertThat(AddressLiterals.isHostName("-a.example")).isFalse();
    assertThat(AddressLiterals.isHostName("a-.example")).isFalse();
    assertThat(AddressLiterals.isHostName("a..example")).isFalse();
    assertThat(AddressLiterals.isHostName("example.com.")).isFalse();
    assertThat(AddressLiterals.isHostName("café.example")).isFalse();
    assertThat(AddressLiterals.isHostName("1.2.3.256")).isFalse();
    assertThat(AddressLiterals.isHostName("a b")).isFalse();
  }
}
