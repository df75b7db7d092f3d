package dev.sluice.cli;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The launcher as a user runs it ({@code ./sluice ...} execs this JVM), with its output captured.
 */
final class LauncherProcess implements AutoCloseable {
  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();

  private LauncherProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the launcher is gone
              }
            },
            "launcher-output");
    reader.setDaemon(true);
    reader.start();
  }

  static LauncherProcess start(Map<String, String> env, String... args) throws IOException {
    ProcessBuilder builder =
        SluiceModules.withoutInheritedSettings(
            SluiceModules.locate()
                .java("sluice-cli", "dev.sluice.cli.Sluice", List.of("-Xmx256m"), List.of(args)));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    return new LauncherProcess(builder.start());
  }

  /** Waits for a line that matches, failing with everything printed so far. */
  String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        if (wanted.test(line)) {
          return line;
        }
      }
      if (!process.isAlive() && lines.stream().noneMatch(wanted)) {
        Thread.sleep(200);
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no expected line within " + timeout + "; output:\n" + String.join("\n", lines));
  }

  static Path homeWithDataset(String name) throws IOException {
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name + "-");
    Path shared = SluiceModules.locate().root().resolve(".sluice").resolve("datasets");
    dev.sluice.loadgen.reviews.ImdbDataset.ensure(shared);
    Files.createSymbolicLink(home.resolve("datasets"), shared);
    return home;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
