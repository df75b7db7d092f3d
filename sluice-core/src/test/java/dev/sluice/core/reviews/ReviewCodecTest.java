package dev.sluice.core.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.reviews.ReviewCodec.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReviewCodecTest {
  private static final String EMOJI = "\ud83d\ude00"; // one code point, two Java chars

  private static Review accepted(String json) {
    Decoded decoded = ReviewCodec.decode(json);
    assertThat(decoded.reason()).as("reason for %s", json).isNull();
    assertThat(decoded.ok()).isTrue();
    return decoded.review();
  }

  private static String rejectedReason(byte[] bytes) {
    Decoded decoded = ReviewCodec.decode(bytes);
    assertThat(decoded.ok()).as("decoded %s", decoded).isFalse();
    assertThat(decoded.review()).isNull();
    assertThat(decoded.reason()).isNotBlank();
    return decoded.reason();
  }

  private static String rejectedReason(String json) {
    return rejectedReason(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decodesTextOnly() {
    assertThat(accepted("{\"text\":\"Great movie\"}"))
        .isEqualTo(new Review(null, "Great movie", null, null, null));
  }

  @Test
  void decodesAllFields() {
    Review review =
        accepted(
            "{\"id\":\"imdb-7\",\"text\":\"Bad\",\"score\":2,\"label\":\"neg\",\"ts\":1700000000123}");
    assertThat(review).isEqualTo(new Review("imdb-7", "Bad", 2, Sentiment.NEG, 1_700_000_000_123L));
    assertThat(accepted("{\"text\":\"ok\",\"label\":\"pos\",\"score\":5,\"ts\":0}"))
        .isEqualTo(new Review(null, "ok", 5, Sentiment.POS, 0L));
  }

  @Test
  void decodesNonAsciiTextFromUtf8() {
    String text = "Café naïve Straße 東京 " + EMOJI + " \u0130stanbul";
    Review review = accepted("{\"text\":\"" + text + "\"}");
    assertThat(review.text()).isEqualTo(text);
    assertThat(accepted("{\"text\":\"caf\\u00e9 \\ud83d\\ude00\"}").text())
        .isEqualTo("café " + EMOJI);
  }

  @Test
  void ignoresUnknownFields() {
    assertThat(accepted("{\"text\":\"fine\",\"lang\":\"en\",\"meta\":{\"a\":[1,2]},\"score\":4}"))
        .isEqualTo(new Review(null, "fine", 4, null, null));
  }

  @Test
  void acceptsSurroundingWhiteSpace() {
    assertThat(accepted("  {\"text\":\"fine\"}\n").text()).isEqualTo("fine");
  }

  @Test
  void acceptsTextOfExactlyTheLimitCountedInCodePoints() {
    assertThat(Review.MAX_TEXT_CHARS).isEqualTo(20_000);
    assertThat(accepted("{\"text\":\"" + "a".repeat(20_000) + "\"}").text()).hasSize(20_000);
    // 20,000 emoji are 40,000 Java chars but 20,000 characters.
    assertThat(accepted("{\"text\":\"" + EMOJI.repeat(20_000) + "\"}").text()).hasSize(40_000);
  }

  @Test
  void rejectsTextOverTheLimit() {
    assertThat(rejectedReason("{\"text\":\"" + "a".repeat(20_001) + "\"}"))
        .contains("text")
        .containsAnyOf("20000", "20,000", "20 000");
    assertThat(rejectedReason("{\"text\":\"" + EMOJI.repeat(20_001) + "\"}")).contains("text");
  }

  @Test
  void rejectsEmptyAndNullBytes() {
    assertThat(rejectedReason(new byte[0])).containsIgnoringCase("empty");
    assertThat(rejectedReason((byte[]) null)).containsIgnoringCase("empty");
  }

  static List<Object[]> notJson() {
    return List.of(
        new Object[] {"not json", "hello"},
        new Object[] {"unclosed object", "{\"text\":\"a\""},
        new Object[] {"single quotes", "{'text':'a'}"},
        new Object[] {"trailing garbage", "{\"text\":\"a\"} x"},
        new Object[] {"second object", "{\"text\":\"a\"}{\"text\":\"b\"}"},
        new Object[] {"trailing comma text", "{\"text\":\"a\"},"});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJson")
  void rejectsInvalidJson(String name, String json) {
    assertThat(rejectedReason(json)).containsIgnoringCase("JSON");
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] prefix = "{\"text\":\"ab".getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[prefix.length + 1 + suffix.length];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    bytes[prefix.length] = (byte) 0xff; // never valid in UTF-8
    System.arraycopy(suffix, 0, bytes, prefix.length + 1, suffix.length);
    assertThat(rejectedReason(bytes)).containsIgnoringCase("UTF-8");
  }

  static List<Object[]> notAnObject() {
    return List.of(
        new Object[] {"[{\"text\":\"a\"}]"},
        new Object[] {"\"text\""},
        new Object[] {"42"},
        new Object[] {"true"},
        new Object[] {"null"});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notAnObject")
  void rejectsJsonThatIsNotAnObject(String json) {
    assertThat(rejectedReason(json)).contains("object");
  }

  static List<Object[]> badFields() {
    return List.of(
        new Object[] {"{}", "text"},
        new Object[] {"{\"id\":\"x\"}", "text"},
        new Object[] {"{\"text\":null}", "text"},
        new Object[] {"{\"text\":42}", "text"},
        new Object[] {"{\"text\":[\"a\"]}", "text"},
        new Object[] {"{\"text\":\"\"}", "text"},
        new Object[] {"{\"text\":\"a\",\"score\":0}", "score"},
        new Object[] {"{\"text\":\"a\",\"score\":6}", "score"},
        new Object[] {"{\"text\":\"a\",\"score\":-1}", "score"},
        new Object[] {"{\"text\":\"a\",\"score\":4.5}", "score"},
        new Object[] {"{\"text\":\"a\",\"score\":\"4\"}", "score"},
        new Object[] {"{\"text\":\"a\",\"score\":99999999999}", "score"},
        new Object[] {"{\"text\":\"a\",\"label\":\"positive\"}", "label"},
        new Object[] {"{\"text\":\"a\",\"label\":\"POS\"}", "label"},
        new Object[] {"{\"text\":\"a\",\"label\":1}", "label"},
        new Object[] {"{\"text\":\"a\",\"ts\":-1}", "ts"},
        new Object[] {"{\"text\":\"a\",\"ts\":\"1700000000000\"}", "ts"},
        new Object[] {"{\"text\":\"a\",\"ts\":1.5}", "ts"},
        new Object[] {"{\"text\":\"a\",\"id\":7}", "id"},
        new Object[] {"{\"text\":\"a\",\"id\":\"\"}", "id"},
        new Object[] {"{\"text\":\"a\",\"text\":\"b\"}", "text"},
        new Object[] {"{\"text\":\"a\",\"score\":1,\"score\":5}", "score"});
  }

  @ParameterizedTest(name = "{0} -> mentions {1}")
  @MethodSource("badFields")
  void rejectsBadFieldNamingTheField(String json, String field) {
    assertThat(rejectedReason(json)).contains(field);
  }

  static List<Review> reviews() {
    return List.of(
        new Review(null, "x", null, null, null),
        new Review(
            "imdb-1",
            "Loved it.<br /><br />\"Great\" \\ film",
            5,
            Sentiment.POS,
            1_700_000_000_000L),
        new Review(
            "r-\u00e9",
            "Café " + EMOJI + " 東京\n\ttab \u2019quote\u2019 \u0001 ctrl",
            1,
            Sentiment.NEG,
            0L),
        new Review(null, EMOJI.repeat(20_000), 3, null, Long.MAX_VALUE),
        new Review("only-label", "text", null, Sentiment.NEG, null));
  }

  @ParameterizedTest
  @MethodSource("reviews")
  void encodeThenDecodeGivesTheSameReview(Review review) {
    Decoded decoded = ReviewCodec.decode(ReviewCodec.encode(review));
    assertThat(decoded.reason()).isNull();
    assertThat(decoded.review()).isEqualTo(review);
  }

  @Test
  void encodeWritesOnlyTheFieldsThatAreSet() {
    String json =
        new String(
            ReviewCodec.encode(new Review(null, "hi", null, null, null)), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"text\":\"hi\"}");
  }

  static Stream<Arguments> unstorable() {
    return Stream.of(
        Arguments.of("{\"text\":\"a\\u0000b\"}", "text contains U+0000 at character 2"),
        Arguments.of(
            "{\"text\":\"ab\\ud800\"}",
            "text contains an unpaired surrogate U+D800 at character 3"),
        Arguments.of(
            "{\"text\":\"\\udc00 x\"}",
            "text contains an unpaired surrogate U+DC00 at character 1"),
        Arguments.of("{\"text\":\"ok\",\"id\":\"r\\u0000\"}", "id contains U+0000 at character 2"),
        Arguments.of(
            "{\"text\":\"ok\",\"extra\":{\"deep\":[\"\\u0000\"]}}",
            "extra.deep[0] contains U+0000 at character 1"),
        Arguments.of("{\"te\\u0000xt\":\"ok\"}", "a field name contains U+0000 at character 3"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("unstorable")
  void rejectsWhatNoStoreCanHoldSayingWhereItIs(String json, String reason) {
    assertThat(rejectedReason(json)).isEqualTo(reason);
  }

  @Test
  void acceptsPairedSurrogatesAndControlCharactersOtherThanNul() {
    Decoded decoded = ReviewCodec.decode("{\"text\":\"\\ud83d\\ude00 \\u0001\\u001f\"}");
    assertThat(decoded.reason()).isNull();
    assertThat(decoded.review().text()).isEqualTo(EMOJI + " \u0001\u001f");
  }

  @Test
  void rejectsDeeplyNestedJsonWithoutRecursingIntoIt() {
    String nested = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(rejectedReason("{\"text\":\"x\",\"n\":" + nested + "}"))
        .isEqualTo("JSON nested deeper than " + JsonRecords.MAX_DEPTH + " levels");
  }

  @Test
  void rejectsAMegabyteTextByItsLengthKeepingTheReasonShort() {
    String reason = rejectedReason("{\"text\":\"" + "a".repeat(1_000_000) + "\"}");
    assertThat(reason).isEqualTo("text has 1000000 characters, more than the limit of 20000");
  }
}
