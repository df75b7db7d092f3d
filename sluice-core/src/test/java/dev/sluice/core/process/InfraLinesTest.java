package dev.sluice.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraLinesTest {
  @TempDir Path dir;

  @Test
  void settingsAreTheKeyValueLinesInOrderWithoutTheReadyLine() {
    Map<String, String> settings =
        InfraLines.parse(
            List.of(
                "SLUICE_KAFKA=127.0.0.1:19092",
                "a log line without a key",
                "SLUICE_DB_URL=jdbc:postgresql://127.0.0.1:15432/sluice?a=b",
                InfraLines.READY_LINE));
    assertThat(settings)
        .containsExactly(
            Map.entry("SLUICE_KAFKA", "127.0.0.1:19092"),
            Map.entry("SLUICE_DB_URL", "jdbc:postgresql://127.0.0.1:15432/sluice?a=b"));
    assertThat(InfraLines.isReady(InfraLines.READY_LINE)).isTrue();
    assertThat(InfraLines.isReady("SLUICE_KAFKA=x")).isFalse();
  }

  @Test
  void theEnvFileGivesTheSettingsAndThePid() throws IOException {
    Path file = dir.resolve(InfraLines.ENV_FILE);
    assertThat(InfraLines.readFile(file)).isEmpty();
    Files.write(file, List.of("SLUICE_KAFKA=127.0.0.1:1", InfraLines.PID_KEY + "=4242"));
    Map<String, String> settings = InfraLines.readFile(file).orElseThrow();
    assertThat(InfraLines.pid(settings)).contains(4242L);
    assertThat(InfraLines.pid(Map.of(InfraLines.PID_KEY, "not a pid"))).isEmpty();
    assertThat(InfraLines.pid(Map.of())).isEmpty();
  }
}
