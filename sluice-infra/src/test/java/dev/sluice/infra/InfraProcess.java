package dev.sluice.infra;

import dev.sluice.core.process.InfraLines;
import dev.sluice.core.process.SluiceModules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * InfraMain as a child process, launched the way the launcher and the testkit launch it (its own
 * JVM and classpath); the testkit is built after this module, so the tests here cannot use it.
 */
final class InfraProcess implements AutoCloseable {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  final Process process;
  final Path stderr;
  private final List<String> stdoutLines = new ArrayList<>();
  private final CompletableFuture<Map<String, String>> ready = new CompletableFuture<>();

  private InfraProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::readStdout, "infra-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts InfraMain with exactly these Sluice settings (the test's own SLUICE_* are dropped). The
   * embedded Redis is left out unless the settings ask for it, so tests that do not use it never
   * contend for its port.
   */
  static InfraProcess start(Map<String, String> settings, Path stderr) throws IOException {
    ProcessBuilder builder =
        SluiceModules.withoutInheritedSettings(
            SluiceModules.locate()
                .java("sluice-infra", InfraMain.class.getName(), List.of("-Xmx512m"), List.of()));
    builder.environment().put("SLUICE_EMBEDDED_REDIS", "false");
    builder.environment().putAll(settings);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    return new InfraProcess(builder.start(), stderr);
  }

  /** The announced KEY=value lines, once SLUICE_INFRA_READY=true arrived. */
  Map<String, String> awaitReady() throws Exception {
    try {
      return ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("infra did not become ready; stderr:\n" + stderrText(), e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to exit on its own and returns the exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "infra did not exit within " + timeout + "; stderr:\n" + stderrText());
    }
    return process.exitValue();
  }

  synchronized List<String> stdoutLines() {
    return List.copyOf(stdoutLines);
  }

  String stderrText() {
    try {
      return Files.exists(stderr) ? Files.readString(stderr) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM: the clean stop a user's Ctrl-C or kill gives. */
  int stop() throws InterruptedException {
    process.destroy();
    return awaitExit(Duration.ofSeconds(60));
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }

  private void readStdout() {
    Map<String, String> values = new LinkedHashMap<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (this) {
          stdoutLines.add(line);
        }
        InfraLines.collect(line, values);
        if (line.equals(InfraLines.READY_LINE)) {
          ready.complete(Map.copyOf(values));
        }
      }
    } catch (IOException e) {
      // The process ended; handled below.
    }
    ready.completeExceptionally(new IllegalStateException("infra exited before it was ready"));
  }

  /** A free port p whose successor p + 1 is free too (the broker and its controller). */
  static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = freePort();
      if (port < 65535 && Ports.isFree(port + 1)) {
        return port;
      }
    }
    throw new IllegalStateException("no two consecutive free ports found");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
