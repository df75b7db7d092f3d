package dev.sluice.bench.api;

import dev.sluice.core.process.Processes;
import dev.sluice.core.process.SluiceModules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server under test as its own process, as the demo runs the Sluice server, so its memory and CPU
 * can be read: the Sluice server, or the plain-Java baseline ({@link PlainIngestServer}).
 */
final class ServerProcess implements AutoCloseable {
  static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m");

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The Sluice server, as the demo runs it. */
  static ServerProcess start(Map<String, String> settings, Path log)
      throws IOException, InterruptedException {
    return start("sluice-server", "dev.sluice.server.ServerMain", settings, log);
  }

  /** The plain-Java baseline, with the same memory as the Sluice server. */
  static ServerProcess startBaseline(Map<String, String> settings, Path log)
      throws IOException, InterruptedException {
    return start("sluice-bench", PlainIngestServer.class.getName(), settings, log);
  }

  private static ServerProcess start(
      String module, String mainClass, Map<String, String> settings, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder builder = SluiceModules.locate().java(module, mainClass, JVM_OPTIONS, List.of());
    builder.environment().putAll(settings);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    CompletableFuture<String> dashboard = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("Dashboard: ") || line.startsWith("Listening: ")) {
                    dashboard.complete(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              dashboard.complete(null);
            },
            "bench-server-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String line = dashboard.get(90, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException("the server exited before listening:\n" + tail(log));
      }
      int port = Integer.parseInt(line.replaceAll(".*:(\\d+)/$", "$1"));
      return new ServerProcess(process, port, log);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start within 90 s:\n" + tail(log), e);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** A {@code /proc/<pid>/status} value in MiB: VmRSS (now) or VmHWM (peak); -1 if unknown. */
  double memoryMib(String field) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          long kib = Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
          return kib / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /** CPU seconds (user + system) a process has used so far, from /proc; -1 if unknown. */
  static double cpuSeconds(long pid) {
    double[] split = cpuSplit(pid);
    return split[0] < 0 ? -1 : split[0] + split[1];
  }

  /** User and system CPU seconds of a process, from /proc; -1s if unknown. */
  static double[] cpuSplit(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // USER_HZ is 100 on Linux.
      return new double[] {Long.parseLong(fields[11]) / 100.0, Long.parseLong(fields[12]) / 100.0};
    } catch (IOException | RuntimeException e) {
      return new double[] {-1, -1};
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(20));
  }
}
