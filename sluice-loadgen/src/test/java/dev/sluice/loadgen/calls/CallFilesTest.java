package dev.sluice.loadgen.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.loadgen.DatasetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallFilesTest {
  @TempDir Path dir;

  /** The dataset as released: one array, an object's fields over many lines. */
  static final String RELEASED =
      "[\n  {\n    \"crime_id\": \"183653763\",\n    \"original_crime_type_name\": \"Traffic Stop\",\n"
          + "    \"call_date_time\": \"2018-12-31T23:57:00.000\",\n    \"disposition\": \"ADM\"\n  },\n"
          + "  {\n    \"crime_id\": \"183653756\",\n    \"original_crime_type_name\": \"Trés bien\",\n"
          + "    \"call_date_time\": \"2018-12-31T23:54:00.000\",\n    \"disposition\": \"HAN\"\n  }\n]\n";

  @Test
  void readsTheReleasedArrayOneRecordAtATime() throws Exception {
    Path file = write("\uFEFF  " + RELEASED);

    List<String> records = readAll(file);

    assertThat(records)
        .containsExactly(
            "{\"crime_id\":\"183653763\",\"original_crime_type_name\":\"Traffic Stop\","
                + "\"call_date_time\":\"2018-12-31T23:57:00.000\",\"disposition\":\"ADM\"}",
            "{\"crime_id\":\"183653756\",\"original_crime_type_name\":\"Trés bien\","
                + "\"call_date_time\":\"2018-12-31T23:54:00.000\",\"disposition\":\"HAN\"}");
    try (CallFiles.Records opened = CallFiles.open(file)) {
      assertThat(opened.format()).isEqualTo("a JSON array");
    }
  }

  @Test
  void readsJsonLinesAsWrittenSkippingBlankLines() throws Exception {
    Path file = write("{\"crime_id\":\"1\"}\n\n{not json}\n{\"crime_id\":\"2\"}");

    assertThat(readAll(file))
        .containsExactly("{\"crime_id\":\"1\"}", "{not json}", "{\"crime_id\":\"2\"}");
    try (CallFiles.Records opened = CallFiles.open(file)) {
      assertThat(opened.format()).isEqualTo("JSON lines");
    }
  }

  @Test
  void refusesAFileOfNeither() throws Exception {
    Path file = write("crime_id,disposition\n1,HAN\n");

    assertThatThrownBy(() -> CallFiles.open(file))
        .isInstanceOf(DatasetException.class)
        .hasMessageEndingWith(
            "is neither a JSON array of calls nor JSON lines: it starts with 'c'");
  }

  private Path write(String text) throws Exception {
    Path file = Files.createTempFile(dir, "calls", ".json");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  static List<String> readAll(Path file) throws Exception {
    try (CallFiles.Records records = CallFiles.open(file)) {
      return drain(records);
    }
  }

  static List<String> drain(CallFiles.Records records) throws Exception {
    List<String> values = new ArrayList<>();
    for (byte[] value = records.next(); value != null; value = records.next()) {
      values.add(new String(value, StandardCharsets.UTF_8));
      assertThat(values).hasSizeLessThan(1_000_000);
    }
    return values;
  }
}
