package dev.sluice.core.reviews;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where sentiment models are kept: {@code <models>/sentiment/<version>}, one directory per training
 * run. A version is complete once its {@value #METRICS_FILE} exists, the last file training writes,
 * so a half-saved model is never picked. Version names sort by training time.
 */
public final class SentimentModels {
  public static final String METRICS_FILE = "metrics.json";

  private SentimentModels() {}

  public static Path root(Path modelsDir) {
    return modelsDir.resolve("sentiment");
  }

  public static Optional<Path> newest(Path modelsDir) {
    return versions(modelsDir).stream().findFirst();
  }

  /** The complete versions, newest first. */
  public static List<Path> versions(Path modelsDir) {
    Path root = root(modelsDir);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(dir -> Files.isRegularFile(dir.resolve(METRICS_FILE)))
          .sorted(Comparator.comparing((Path dir) -> dir.getFileName().toString()).reversed())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
