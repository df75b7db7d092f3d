package dev.sluice.core.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code KEY=value} lines through which the embedded platform says where it runs: printed on
 * its output up to {@value #READY_LINE}, and kept in {@code $SLUICE_HOME/}{@value #ENV_FILE} while
 * it runs. Written by {@code sluice-infra}, read here for the launcher and the test kit.
 */
public final class InfraLines {
  public static final String READY_KEY = "SLUICE_INFRA_READY";
  public static final String READY_LINE = READY_KEY + "=true";
  public static final String PID_KEY = "SLUICE_INFRA_PID";
  public static final String ENV_FILE = "infra.env";

  private InfraLines() {}

  /** Whether the line is the one that ends the announcement. */
  public static boolean isReady(String line) {
    return line.startsWith(READY_KEY + "=");
  }

  /** Adds a {@code KEY=value} line to the settings; other lines and the ready line are left out. */
  public static void collect(String line, Map<String, String> settings) {
    int eq = line.indexOf('=');
    if (eq > 0 && !isReady(line)) {
      settings.put(line.substring(0, eq), line.substring(eq + 1));
    }
  }

  /** The settings the lines announce, in order. */
  public static Map<String, String> parse(List<String> lines) {
    Map<String, String> settings = new LinkedHashMap<>();
    lines.forEach(line -> collect(line, settings));
    return settings;
  }

  /** The settings in a platform's {@value #ENV_FILE}; empty when it is missing or unreadable. */
  public static Optional<Map<String, String>> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(Files.readAllLines(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The pid a platform's settings name, if they name one. */
  public static Optional<Long> pid(Map<String, String> settings) {
    String pid = settings.get(PID_KEY);
    return pid != null && pid.strip().matches("\\d{1,18}")
        ? Optional.of(Long.parseLong(pid.strip()))
        : Optional.empty();
  }
}
