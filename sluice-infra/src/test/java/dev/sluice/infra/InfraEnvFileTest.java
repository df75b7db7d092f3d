package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraEnvFileTest {
  @TempDir Path home;

  @Test
  void writesTheLinesAndThePidAndOnlyItsOwnerDeletesIt() throws Exception {
    Path file = home.resolve("infra.env");
    InfraEnvFile.write(file, List.of("SLUICE_KAFKA=127.0.0.1:1", "SLUICE_DB_USER=sluice"), 42);

    assertThat(Files.readAllLines(file))
        .containsExactly(
            "SLUICE_KAFKA=127.0.0.1:1", "SLUICE_DB_USER=sluice", "SLUICE_INFRA_PID=42");
    assertThat(InfraEnvFile.pid(file)).contains(42L);
    assertThat(home.resolve("infra.env.tmp")).doesNotExist();

    InfraEnvFile.deleteIfOwnedBy(file, 43);
    assertThat(file).exists();
    InfraEnvFile.deleteIfOwnedBy(file, 42);
    assertThat(file).doesNotExist();
  }
}
