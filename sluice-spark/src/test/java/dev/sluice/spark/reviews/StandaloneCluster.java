package dev.sluice.spark.reviews;

import dev.sluice.core.process.Processes;
import dev.sluice.core.process.SluiceModules;
import dev.sluice.spark.ClusterJarsTestAccess;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and a worker process, with a Spark home
 * made of the Spark jars of Sluice's own build (everything Sluice ships to executors is left out,
 * so the test fails if shipping misses something).
 */
final class StandaloneCluster implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  final String masterUrl;
  final Path home;

  StandaloneCluster(Path dir) throws IOException, InterruptedException {
    home = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String entry : SluiceModules.locate().classpath("sluice-spark")) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      if (name.endsWith(".jar") && !ClusterJarsTestAccess.isShipped(name)) {
        Files.createSymbolicLink(jars.resolve(name), path);
      }
    }
    // Spark's launcher takes a home with a RELEASE file for a binary distribution.
    Files.writeString(home.resolve("RELEASE"), "Spark 4.0.0 jars of the Sluice build\n");
    int masterPort = EmbeddedPlatform.freePort();
    masterUrl = "spark://127.0.0.1:" + masterPort;
    processes.add(
        start(
            "org.apache.spark.deploy.master.Master",
            dir.resolve("master.log"),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(masterPort),
            "--webui-port",
            Integer.toString(EmbeddedPlatform.freePort())));
    awaitLine(dir.resolve("master.log"), "I have been elected leader");
    processes.add(
        start(
            "org.apache.spark.deploy.worker.Worker",
            dir.resolve("worker.log"),
            masterUrl,
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "2g",
            "--webui-port",
            Integer.toString(EmbeddedPlatform.freePort()),
            "--work-dir",
            dir.resolve("work").toString()));
    awaitLine(dir.resolve("worker.log"), "Successfully registered with master");
  }

  private Process start(String mainClass, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SluiceModules.locate().jvmOptions("sluice-spark"));
    command.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("SPARK_HOME", home.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

  private static void awaitLine(Path log, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        if (Files.exists(log) && Files.readString(log).contains(text)) {
          return;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("'" + text + "' not in " + log + " within 90 s");
  }

  @Override
  public void close() {
    // The worker first: it would otherwise try to reconnect to a stopped master.
    for (int i = processes.size() - 1; i >= 0; i--) {
      Processes.stop(processes.get(i), Duration.ofSeconds(20));
    }
  }
}
