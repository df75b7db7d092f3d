package dev.sluice.infra;

import dev.sluice.core.process.InfraLines;
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
  private InfraEnvFile() {}

  static void write(Path file, List<String> lines, long pid) throws IOException {
    List<String> content = new ArrayList<>(lines);
    content.add(InfraLines.PID_KEY + "=" + pid);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static Optional<Long> pid(Path file) {
    return InfraLines.readFile(file).flatMap(InfraLines::pid);
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
