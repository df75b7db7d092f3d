package dev.sluice.loadgen.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordLineTest {
  private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
    return new ConsumerRecord<>(
        "revenue.computed",
        1,
        42,
        1_764_518_400_123L,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aJsonValueIsInlineWithEveryDigitKept() {
    assertThat(
            RecordLine.of(
                record(
                    utf8("acct-ä"),
                    utf8(
                        "{\"id\": \"acct-ä\", \"revenue\": 12.50, \"big\": 123456789012345678901}"))))
        .isEqualTo(
            "{\"topic\":\"revenue.computed\",\"partition\":1,\"offset\":42,"
                + "\"timestamp\":1764518400123,\"key\":\"acct-ä\","
                + "\"value\":{\"id\":\"acct-ä\",\"revenue\":12.50,\"big\":123456789012345678901}}");
  }

  @Test
  void textThatIsNotJsonIsAString() {
    assertThat(RecordLine.of(record(null, utf8("{\"id\": 1} trailing"))))
        .endsWith("\"key\":null,\"value\":\"{\\\"id\\\": 1} trailing\"}");
    assertThat(RecordLine.of(record(utf8("k"), utf8("plain words"))))
        .endsWith("\"key\":\"k\",\"value\":\"plain words\"}");
    assertThat(RecordLine.of(record(utf8("k"), utf8("17")))).endsWith("\"value\":17}");
  }

  @Test
  void bytesThatAreNotUtf8ComeAsBase64AndAMissingValueAsNull() {
    byte[] bad = {(byte) 0xC3, 0x28};
    assertThat(RecordLine.of(record(bad, bad)))
        .endsWith("\"key\":null,\"key_base64\":\"wyg=\",\"value\":null,\"value_base64\":\"wyg=\"}");
    assertThat(RecordLine.of(record(utf8("k"), null))).endsWith("\"key\":\"k\",\"value\":null}");
  }

  @Test
  void theTopicIsRequiredAndTheFlagsTyped() {
    ConsumeMain.Options options =
        ConsumeMain.parse(List.of("revenue", "--from-beginning", "--count", "5", "--timeout", "3"));
    assertThat(options.topic()).isEqualTo("revenue");
    assertThat(options.fromBeginning()).isTrue();
    assertThat(options.count()).hasValue(5);
    assertThat(options.timeout()).hasValue(3);
    assertThat(options.group()).isNull();
    ConfigException badCount =
        catchThrowableOfType(
            ConfigException.class, () -> ConsumeMain.parse(List.of("revenue", "--count", "0")));
    assertThat(badCount.problems()).singleElement().asString().contains("--count");
    ConfigException noTopic =
        catchThrowableOfType(
            ConfigException.class, () -> ConsumeMain.parse(List.of("--count", "1")));
    assertThat(noTopic.problems()).singleElement().asString().contains("expected the topic");
  }
}
