package dev.sluice.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars executors on a Spark cluster need and a Spark distribution lacks: Sluice's own modules,
 * Spark's Kafka connector with its Kafka client, and the PostgreSQL driver. A module run from its
 * {@code target/classes} directory is packed into a temporary jar first, since only jars can be
 * shipped.
 */
final class ClusterJars {
  private static final List<String> SHIPPED_PREFIXES =
      List.of(
          "sluice-",
          "spark-sql-kafka-0-10_",
          "spark-token-provider-kafka-0-10_",
          "kafka-clients-",
          "commons-pool2-",
          "postgresql-");

  private ClusterJars() {}

  /** Comma-separated, as {@code spark.jars} takes them. */
  static String forClasspath(String classpath) {
    List<String> jars = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        jars.add(pack(path).toString());
      } else if (isShipped(path.getFileName().toString())) {
        jars.add(path.toAbsolutePath().toString());
      }
    }
    return String.join(",", jars);
  }

  static boolean isShipped(String fileName) {
    return fileName.endsWith(".jar") && SHIPPED_PREFIXES.stream().anyMatch(fileName::startsWith);
  }

  private static Path pack(Path classes) {
    try {
      Path jar = Files.createTempFile("sluice-classes-", ".jar");
      jar.toFile().deleteOnExit();
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file);
          Stream<Path> files = Files.walk(classes)) {
        for (Path source : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          out.putNextEntry(
              new JarEntry(classes.relativize(source).toString().replace(File.separatorChar, '/')));
          Files.copy(source, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack " + classes + " for the cluster", e);
    }
  }
}
