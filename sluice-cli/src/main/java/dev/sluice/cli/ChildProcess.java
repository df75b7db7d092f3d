package dev.sluice.cli;

import dev.sluice.core.process.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Sluice module running as its own process, stopped with SIGTERM (so it shuts down cleanly) and,
 * if it does not exit in time, killed.
 */
final class ChildProcess {
  /** The longest line quoted from a child's log. */
  private static final int MAX_QUOTED_CHARS = 500;

  private final String name;
  private final ProcessBuilder builder;
  private final Path logFile;
  private long logStart;
  private Process process;

  private ChildProcess(String name, ProcessBuilder builder, Path logFile) {
    this.name = name;
    this.builder = builder;
    this.logFile = logFile;
  }

  /** A child as the builder is configured. */
  static ChildProcess of(String name, ProcessBuilder builder) {
    return new ChildProcess(name, builder, null);
  }

  /**
   * Puts the child in a session of its own, where the terminal's Ctrl-C does not reach it: the
   * launcher then stops its children in order (producers first, the database last). The child still
   * ends with the launcher (ParentWatch).
   */
  static ProcessBuilder detached(ProcessBuilder builder) {
    if (Files.isExecutable(Path.of(SETSID))) {
      List<String> command = new ArrayList<>(builder.command());
      command.add(0, SETSID);
      builder.command(command);
    }
    return builder;
  }

  private static final String SETSID = "/usr/bin/setsid";

  /** A child whose output goes to the launcher's terminal. */
  static ChildProcess inheritingIo(String name, ProcessBuilder builder, Map<String, String> env) {
    builder.environment().putAll(env);
    builder.inheritIO();
    return new ChildProcess(name, builder, null);
  }

  /** A child whose output goes to {@code logFile}, appended, so restarts keep the history. */
  static ChildProcess loggingTo(
      String name, ProcessBuilder builder, Map<String, String> env, Path logFile) {
    builder.environment().putAll(env);
    try {
      Files.createDirectories(logFile.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    return new ChildProcess(name, builder, logFile);
  }

  /**
   * Reads the child's stdout (redirected to a pipe) up to the first line that {@code last} accepts,
   * and returns the lines read; the rest of its stdout is drained in the background so the child
   * never blocks. Fails if the child exits or the timeout passes first.
   */
  List<String> readUntil(Predicate<String> last, long timeoutSeconds, String whatFailed) {
    Thread timeout =
        new Thread(
            () -> {
              try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                  process.destroy();
                }
              } catch (InterruptedException e) {
                // the expected line came in time
              }
            },
            name + "-start-timeout");
    timeout.setDaemon(true);
    timeout.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        if (last.test(line)) {
          timeout.interrupt();
          Thread drainer = new Thread(() -> drain(out), name + "-stdout");
          drainer.setDaemon(true);
          drainer.start();
          return lines;
        }
      }
    } catch (IOException e) {
      // the child is gone; reported below
    }
    // Its stdout closes just before it exits: give the exit a moment, to report the right cause.
    boolean exited;
    try {
      exited = process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = !process.isAlive();
    }
    throw new IllegalStateException(
        whatFailed
            + " ("
            + (exited ? "exit code " + exitCode() : "not ready within " + timeoutSeconds + " s")
            + ")");
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // only the lines before the awaited one matter
      }
    } catch (IOException e) {
      // the child is gone
    }
  }

  private String exitCode() {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
      return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  String name() {
    return name;
  }

  ChildProcess start() {
    try {
      logStart = logFile != null && Files.exists(logFile) ? Files.size(logFile) : 0;
      process = builder.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  Process process() {
    return process;
  }

  /** The file its output goes to, if it has one. */
  Optional<Path> logFile() {
    return Optional.ofNullable(logFile);
  }

  /**
   * The last line this run wrote to its log that says something: not a stack frame, not blank; cut
   * to {@value #MAX_QUOTED_CHARS} characters. Empty without a log or such a line.
   */
  Optional<String> lastErrorLine() {
    if (logFile == null) {
      return Optional.empty();
    }
    try (RandomAccessFile log = new RandomAccessFile(logFile.toFile(), "r")) {
      long from = Math.max(logStart, log.length() - 64 * 1024);
      byte[] tail = new byte[(int) Math.max(0, log.length() - from)];
      log.seek(from);
      log.readFully(tail);
      List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = lines.get(i);
        boolean frame =
            line.isBlank()
                || Character.isWhitespace(line.charAt(0))
                || line.startsWith("at ")
                || line.startsWith("...");
        if (!frame) {
          String stripped = line.strip();
          return Optional.of(
              stripped.length() <= MAX_QUOTED_CHARS
                  ? stripped
                  : stripped.substring(0, MAX_QUOTED_CHARS) + "...");
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  void stop(long graceSeconds) {
    if (process != null) {
      Processes.stop(process, Duration.ofSeconds(graceSeconds));
    }
  }
}
