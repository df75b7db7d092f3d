package dev.sluice.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RadioCodesTest {
  @TempDir Path dir;

  @Test
  void thePublishedTableHasItsNineteenCodes() {
    RadioCodes codes = RadioCodes.published();

    assertThat(codes.size()).isEqualTo(19);
    assertThat(codes.asMap().keySet())
        .containsExactly(
            "ABA", "ADM", "ADV", "ARR", "CAN", "CSA", "22", "CIT", "CRM", "GOA", "HAN", "NCR", "ND",
            "NOM", "PAS", "REP", "SFD", "UTL", "VAS");
    assertThat(codes.describe("ARR")).isEqualTo("Arrest");
    assertThat(codes.describe("GOA")).isEqualTo("Gone on Arrival");
    assertThat(codes.describe("UTL")).isEqualTo("Unable to Locate");
    assertThat(codes.describe("XYZ")).isEqualTo(RadioCodes.UNKNOWN);
    assertThat(codes.description("XYZ")).isEmpty();
  }

  @Test
  void aUsersFileReplacesTheTable() throws Exception {
    Path file =
        write(
            "[{\"disposition_code\":\"HAN\",\"description\":\"Erledigt\"},"
                + "{\"disposition_code\":\"XYZ\",\"description\":\"Über Funk\",\"extra\":1}]");

    Flags flags = Flags.parse(List.of("--radio-codes", file.toString()), List.of(RadioCodes.FLAG));

    RadioCodes codes = flags.get(RadioCodes.FLAG);
    assertThat(codes.asMap())
        .containsExactly(
            java.util.Map.entry("HAN", "Erledigt"), java.util.Map.entry("XYZ", "Über Funk"));
    assertThat(codes.describe("ARR")).isEqualTo(RadioCodes.UNKNOWN);
  }

  @Test
  void eachBadFileIsOneLineSayingWhy() throws Exception {
    assertThat(problem(dir.resolve("missing.json"))).contains("is not valid: no such file;");
    assertThat(problem(dir)).contains("is not valid: it is a directory;");
    assertThat(problem(write("{\"disposition_code\":\"HAN\"}"))).contains("not a JSON array;");
    assertThat(problem(write("[]"))).contains("the array is empty;");
    assertThat(problem(write("[{\"disposition_code\":\"HAN\"")))
        .contains("is not valid: not valid JSON:");
    assertThat(
            problem(
                write(
                    "[{\"disposition_code\":\"HAN\",\"description\":\"a\"},"
                        + "{\"disposition_code\":\"HAN\",\"description\":\"b\"}]")))
        .contains("entry 2: duplicate disposition_code \"HAN\";");
    assertThat(problem(write("[{\"description\":\"a\"}]")))
        .contains("entry 1 has no disposition_code;");
    assertThat(problem(write("[{\"disposition_code\":\"H N\",\"description\":\"a\"}]")))
        .contains("entry 1: disposition_code must be printable ASCII without spaces");
    assertThat(problem(write("[{\"disposition_code\":\"HAN\",\"description\":7}]")))
        .contains("entry 1: description must be a non-blank string;");
    assertThat(problem(write("[\"HAN\"]"))).contains("entry 1 is not an object;");
    assertThat(problem(write("[{\"disposition_code\":\"HAN\",\"description\":\"a\"}] []")))
        .contains("is not valid: not valid JSON:");
    assertThat(problem(dir.resolve("missing.json")))
        .startsWith("--radio-codes='")
        .endsWith(
            "expected a JSON file: an array of {\"disposition_code\": ..., \"description\": ...}"
                + " objects");
  }

  @Test
  void aBadFileGivenAsTextIsRejectedWithItsReason() {
    assertThatThrownBy(() -> RadioCodes.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            Parser.Rejected.class,
            e -> assertThat(e.reason()).isEqualTo("entry 1 is not an object"));
  }

  private String problem(Path file) {
    try {
      Flags.parse(List.of("--radio-codes", file.toString()), List.of(RadioCodes.FLAG));
    } catch (ConfigException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0);
    }
    throw new AssertionError("accepted " + file);
  }

  private Path write(String json) throws Exception {
    Path file = Files.createTempFile(dir, "codes", ".json");
    Files.writeString(file, json);
    return file;
  }
}
