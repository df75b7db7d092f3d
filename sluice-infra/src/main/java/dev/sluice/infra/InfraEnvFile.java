package dev.sluice.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code $SLUICE_HOME/infra.env}: how other Sluice commands find a running embedded platform.
 * Written whole (temp file, then rename) so a reader never sees half of it; removed on a clean
 * stop.
 */
final class InfraEnvFile {
  static final String PID_KEY = "SLUICE_INFRA_PID";

  private InfraEnvFile() {}

  static void write(Path file, List<String> lines, long pid) throws IOException {
    List<String> content = new ArrayList<>(lines);
    content.add(PID_KEY + "=" + pid);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static Optional<Long> pid(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(PID_KEY + "=")) {
          return Optional.of(Long.parseLong(line.substring(PID_KEY.length() + 1).strip()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Missing or unreadable: no running platform is known.
    }
    return Optional.empty();
  }

  /** Removes the file if it describes this process, never another instance's. */
  static void deleteIfOwnedBy(Path file, long pid) {
    if (pid(file).filter(owner -> owner == pid).isPresent()) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Readers check that the pid is alive, so a leftover file is harmless.
      }
    }
  }
}
