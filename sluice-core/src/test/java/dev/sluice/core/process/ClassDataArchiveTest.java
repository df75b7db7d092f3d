package dev.sluice.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClassDataArchive} on a module laid out in a temp directory, whose jar holds {@link
 * ArchiveTraining}: the archive is written by a real training JVM and mapped by a real JVM.
 */
class ClassDataArchiveTest {
  private static final String MODULE = "m";
  private static final String TRAINING = ArchiveTraining.class.getName();

  @TempDir Path root;
  private Path target;
  private Path jar;

  @BeforeEach
  void buildModule() throws IOException {
    target = root.resolve(MODULE).resolve("target");
    Files.createDirectories(target.resolve("classes"));
    Files.writeString(target.resolve("runtime-classpath.txt"), "");
    jar = target.resolve("m.jar");
    String entry = TRAINING.replace('.', '/') + ".class";
    try (InputStream bytes = ArchiveTraining.class.getResourceAsStream("/" + entry);
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(entry));
      bytes.transferTo(out);
      out.closeEntry();
    }
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
  }

  @Test
  void theBuildWritesAnArchiveThatTheModulesJvmsMapAndKeepsItWhileUpToDate() throws Exception {
    String first = writeArchive();
    Path archive = target.resolve("cds/classes.jsa");
    assertThat(first).startsWith("class-data archive of m: ");
    assertThat(archive).isRegularFile();
    assertThat(Files.readAllLines(target.resolve("cds/classpath.txt")))
        .containsExactly(jar.toString());
    FileTime written = Files.getLastModifiedTime(archive);

    assertThat(writeArchive()).startsWith("class-data archive of m is up to date");
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(written);

    ProcessBuilder launch =
        SluiceModules.at(root).java(MODULE, TRAINING, List.of("-Xlog:class+load=info"), List.of());
    List<String> command = launch.command();
    assertThat(command).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(command.get(command.indexOf("-cp") + 1)).isEqualTo(jar.toString());
    assertThat(run(launch))
        .anyMatch(line -> line.contains(TRAINING + " source: shared objects file (top)"))
        .contains("trained with 0");
  }

  @Test
  void classesCompiledAfterTheJarStartTheModuleFromItsClassesWithoutTheArchive() throws Exception {
    writeArchive();
    Path compiled = Files.writeString(target.resolve("classes/Later.class"), "");
    Files.setLastModifiedTime(compiled, FileTime.from(Instant.now()));

    List<String> command =
        SluiceModules.at(root).java(MODULE, TRAINING, List.of(), List.of()).command();

    assertThat(command).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
    assertThat(command.get(command.indexOf("-cp") + 1))
        .isEqualTo(target.resolve("classes").toString());
  }

  @Test
  void dependenciesChangedSinceTheArchiveStartTheModuleWithoutIt() throws Exception {
    writeArchive();
    String added = root.resolve("repo/added.jar").toString();
    Files.writeString(target.resolve("runtime-classpath.txt"), added);

    List<String> command =
        SluiceModules.at(root)
            .java(MODULE, TRAINING, List.of(), List.of(root.resolve("extra").toString()), List.of())
            .command();

    assertThat(command).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
    assertThat(command.get(command.indexOf("-cp") + 1))
        .isEqualTo(
            String.join(
                File.pathSeparator,
                root.resolve("extra").toString(),
                target.resolve("classes").toString(),
                added));
  }

  @Test
  void entriesAddedByTheCallerComeAfterTheArchivedClasspath() throws Exception {
    writeArchive();
    String extra = root.resolve("extra").toString();

    List<String> command =
        SluiceModules.at(root)
            .java(MODULE, TRAINING, List.of(), List.of(extra), List.of())
            .command();

    assertThat(command.get(command.indexOf("-cp") + 1)).isEqualTo(jar + File.pathSeparator + extra);
  }

  /** Runs the build's step in this JVM and returns the line it printed. */
  private String writeArchive() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      ClassDataArchive.main(new String[] {root.toString(), MODULE, jar.toString(), TRAINING});
    } finally {
      System.setOut(stdout);
    }
    return printed.toString(StandardCharsets.UTF_8).strip();
  }

  private static List<String> run(ProcessBuilder builder) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    try (OutputStream ignored = process.getOutputStream()) {
      byte[] out = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
      List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
      assertThat(process.exitValue()).as("output %s", lines).isZero();
      return lines;
    } finally {
      process.destroyForcibly();
    }
  }
}
