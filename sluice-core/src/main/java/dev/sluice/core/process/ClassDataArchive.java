package dev.sluice.core.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A module's class-data archive (the JDK's application class-data sharing): the classes a JVM of
 * the module loads while it starts, parsed and verified once when the module is built, then mapped
 * from the archive by every JVM that starts it. Spark's training run loads 21,926 classes; with the
 * archive a pipeline is ready 5 to 7 s sooner, using a third less CPU to get there
 * (docs/benchmarks.md, "Pipeline start-up").
 *
 * <p>The JDK accepts an archive only for a classpath that begins with the one it was written with,
 * made of the same jars, and writes none for classes read from a directory. So the build writes it
 * from the module's jar and its dependencies ({@code target/cds/classpath.txt}, beside {@code
 * target/cds/classes.jsa}), and {@link SluiceModules} starts the module from that classpath only
 * while the jar is as new as everything compiled into {@code target/classes}; otherwise, or without
 * an archive, from {@code target/classes} as before. A JVM that finds the archive does not fit (a
 * jar rebuilt since) ignores it quietly and loads its classes as usual.
 *
 * <p>Written by the build ({@code package} phase of a module that asks for it, see {@code
 * sluice-spark/pom.xml}):
 *
 * <pre>{@code
 * java -cp <sluice-core> dev.sluice.core.process.ClassDataArchive ROOT MODULE JAR TRAINING_CLASS
 * }</pre>
 *
 * runs {@code TRAINING_CLASS} (a main method that starts what the module starts, on nothing
 * external) in a JVM that writes the archive when it exits, unless the archive is newer than every
 * entry of its classpath.
 */
public final class ClassDataArchive {
  static final String DIRECTORY = "cds";
  static final String ARCHIVE = "classes.jsa";
  static final String CLASSPATH = "classpath.txt";

  /** Quiet when an archive does not fit: the JVM then runs as it would without one. */
  static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  private static final long TRAINING_TIMEOUT_MINUTES = 5;

  private final Path target;

  ClassDataArchive(Path target) {
    this.target = target;
  }

  /**
   * How to start the module with its archive: the classpath the archive was written with, to which
   * callers may add entries after it; empty when there is no archive, or when {@code
   * target/classes} holds something newer than the jar (compiled since the last package), or the
   * module's dependencies changed since.
   *
   * @param dependencies the module's runtime classpath without its own classes
   */
  Optional<Launch> launch(List<String> dependencies) {
    Path archive = target.resolve(DIRECTORY).resolve(ARCHIVE);
    Path classpathFile = target.resolve(DIRECTORY).resolve(CLASSPATH);
    if (!Files.isRegularFile(archive) || !Files.isRegularFile(classpathFile)) {
      return Optional.empty();
    }
    List<String> written = readClasspath(classpathFile);
    if (written.size() != dependencies.size() + 1
        || !written.subList(1, written.size()).equals(dependencies)) {
      return Optional.empty();
    }
    Path jar = Path.of(written.get(0));
    if (!Files.isRegularFile(jar) || compiledSince(target.resolve("classes"), modified(jar))) {
      return Optional.empty();
    }
    List<String> options = new ArrayList<>();
    options.add("-XX:SharedArchiveFile=" + archive);
    options.addAll(QUIET);
    return Optional.of(new Launch(written, options));
  }

  /** A module's classpath and the JVM options that map its archive. */
  record Launch(List<String> classpath, List<String> jvmOptions) {}

  /**
   * Writes the archive of {@code module} by running {@code trainingClass} from {@code jar} and the
   * module's dependencies, unless the archive is newer than all of them. Prints one line saying
   * what it did; a training run that fails leaves no archive and is reported, not fatal: the module
   * then starts as it would without one.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 4) {
      System.err.println(
          "usage: ClassDataArchive ROOT MODULE JAR TRAINING_CLASS (the build runs it; see the"
              + " class's documentation)");
      System.exit(ExitStatus.BAD_CONFIGURATION);
    }
    SluiceModules modules = SluiceModules.at(Path.of(args[0]));
    String module = args[1];
    Path jar = Path.of(args[2]).toAbsolutePath();
    String trainingClass = args[3];
    Path target = modules.target(module);
    List<String> classpath = new ArrayList<>();
    classpath.add(jar.toString());
    classpath.addAll(modules.dependencies(module));
    Path directory = Files.createDirectories(target.resolve(DIRECTORY));
    Path archive = directory.resolve(ARCHIVE);
    if (upToDate(archive, directory.resolve(CLASSPATH), classpath)) {
      System.out.println("class-data archive of " + module + " is up to date: " + archive);
      return;
    }
    long started = System.nanoTime();
    Path written = directory.resolve(ARCHIVE + ".tmp");
    Path log = directory.resolve("training.log");
    Files.deleteIfExists(written);
    List<String> command = new ArrayList<>();
    command.add(SluiceModules.javaExecutable());
    command.addAll(modules.jvmOptions(module));
    command.add("-XX:ArchiveClassesAtExit=" + written);
    command.addAll(QUIET);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(trainingClass);
    Process training =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(directory.toFile())
            .start();
    boolean finished = training.waitFor(TRAINING_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished || training.exitValue() != 0 || !Files.isRegularFile(written)) {
      Processes.stop(training, Duration.ofSeconds(10));
      Files.deleteIfExists(written);
      System.out.println(
          "WARNING: no class-data archive for "
              + module
              + ": the training run "
              + (finished ? "exited with " + training.exitValue() : "did not end")
              + " (log: "
              + log
              + "); its JVMs start without one, a few seconds slower");
      return;
    }
    Path classpathWritten = directory.resolve(CLASSPATH + ".tmp");
    Files.writeString(classpathWritten, String.join(System.lineSeparator(), classpath));
    Files.move(
        classpathWritten,
        directory.resolve(CLASSPATH),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        written, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf(
        "class-data archive of %s: %d MB in %.1f s: %s%n",
        module, Files.size(archive) >> 20, (System.nanoTime() - started) / 1e9, archive);
  }

  private static boolean upToDate(Path archive, Path classpathFile, List<String> classpath)
      throws IOException {
    if (!Files.isRegularFile(archive)
        || !Files.isRegularFile(classpathFile)
        || !readClasspath(classpathFile).equals(classpath)) {
      return false;
    }
    FileTime archived = modified(archive);
    for (String entry : classpath) {
      Path path = Path.of(entry);
      if (!Files.exists(path) || modified(path).compareTo(archived) > 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean compiledSince(Path classes, FileTime jarModified) {
    if (!Files.isDirectory(classes)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .filter(Files::isRegularFile)
          .anyMatch(file -> modified(file).compareTo(jarModified) > 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> readClasspath(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime modified(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
