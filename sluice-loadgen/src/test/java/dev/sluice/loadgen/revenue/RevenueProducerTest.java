package dev.sluice.loadgen.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevenueProducerTest {
  @TempDir Path dir;

  @Test
  void defaultsSendForeverAtAHundredPerSecond() {
    RevenueProducer.Options options = RevenueProducer.parse(List.of());
    assertThat(options)
        .isEqualTo(
            new RevenueProducer.Options(
                1000, 100, OptionalLong.empty(), 0.05, 0.05, 1, null, "revenue"));
  }

  @Test
  void aDurationIsRateTimesSecondsRecords() {
    RevenueProducer.Options options =
        RevenueProducer.parse(List.of("--rate", "250", "--duration", "8", "--ids", "7"));
    assertThat(options.count()).hasValue(2_000);
    assertThat(options.ids()).isEqualTo(7);
  }

  @Test
  void badFlagsAreAllReportedAtOnce() throws Exception {
    Path file = Files.writeString(dir.resolve("r.jsonl"), "{}\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                RevenueProducer.parse(
                    List.of(
                        "--count",
                        "5",
                        "--duration",
                        "5",
                        "--late-share",
                        "0.6",
                        "--duplicate-share",
                        "0.5",
                        "--file",
                        file.toString())));
    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "--count and --duration both bound the run: give one of them",
            "--late-share and --duplicate-share add up to more than 0.9: most records must be"
                + " updates",
            "--late-share shapes generated records; it cannot be combined with --file",
            "--duplicate-share shapes generated records; it cannot be combined with --file");
    ConfigException share =
        catchThrowableOfType(
            ConfigException.class, () -> RevenueProducer.parse(List.of("--late-share", "1.5")));
    assertThat(share.problems()).singleElement().asString().contains("--late-share");
  }

  @Test
  void aFileIsReadLineByLineAsItsBytesWithEachLinesIdAsKey() throws Exception {
    byte[] invalidUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}'};
    Path file = dir.resolve("lines.jsonl");
    try (var out = Files.newOutputStream(file)) {
      out.write(
          ("{\"id\":42,\"revenue\":\"12.50\",\"revenue_counter\":1,\"timestamp\":1000}\r\n"
                  + "\n"
                  + "{\"id\":\"café\",\"revenue\":1,\"revenue_counter\":-1,\"timestamp\":1000}\n"
                  + "not json\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(invalidUtf8);
    }
    List<RevenueFileLines.Line> lines = new ArrayList<>();
    try (RevenueFileLines reader = new RevenueFileLines(file)) {
      for (RevenueFileLines.Line line = reader.next(); line != null; line = reader.next()) {
        lines.add(line);
      }
      assertThat(reader.empty()).isEqualTo(1);
      assertThat(reader.tooLong()).isZero();
    }
    assertThat(lines).extracting(RevenueFileLines.Line::number).containsExactly(1L, 3L, 4L, 5L);
    assertThat(lines)
        .extracting(RevenueFileLines.Line::key)
        .containsExactly("42", "café", null, null);
    assertThat(new String(lines.get(0).value(), StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":42,\"revenue\":\"12.50\",\"revenue_counter\":1,\"timestamp\":1000}");
    assertThat(lines.get(0).rejection()).isNull();
    assertThat(lines.get(1).rejection()).contains("revenue_counter");
    assertThat(lines.get(2).rejection()).contains("not valid JSON");
    assertThat(lines.get(3).value()).isEqualTo(invalidUtf8);
    assertThat(lines.get(3).rejection()).isNotNull();
  }

  @Test
  void aLineTooLongForKafkaIsLeftOutAndCounted() throws Exception {
    Path file = dir.resolve("long.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"" + "x".repeat(RevenueFileLines.MAX_LINE_BYTES) + "\"}\n{\"id\":1}\n",
        StandardCharsets.UTF_8);
    try (RevenueFileLines reader = new RevenueFileLines(file)) {
      RevenueFileLines.Line line = reader.next();
      assertThat(line.number()).isEqualTo(2);
      assertThat(line.key()).isEqualTo("1");
      assertThat(reader.next()).isNull();
      assertThat(reader.tooLong()).isEqualTo(1);
    }
  }

  @Test
  void theSummarySaysWhatWasSentLateAndDuplicated() {
    RevenueProducer.Options options = RevenueProducer.parse(List.of("--count", "2000"));
    String summary =
        RevenueProducer.summary(
            new RevenueProducer.Result(
                2_000, 101, 99, 0, 0, 0, java.time.Duration.ofSeconds(20), false, null),
            options);
    assertThat(summary)
        .isEqualTo(
            "produce: sent 2,000 records (101 late, 99 duplicates) to topic 'revenue' in 20.0 s"
                + " (100/s), 0 failed");
    assertThat(RevenueProducer.describe(options))
        .isEqualTo(
            "1,000 ids to topic 'revenue' at 100 records/s, 5% late, 5% duplicates, seed 1,"
                + " 2,000 records");
  }
}
