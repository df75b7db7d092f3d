package dev.sluice.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SluiceModules} has no public way to choose its root other than {@code SLUICE_ROOT} (or the
 * working directory), so the temp-dir cases run {@link PrintModuleClasspath} in a child JVM.
 */
class SluiceModulesTest {
  @TempDir Path root;

  private record Run(int exitCode, List<String> lines) {}

  private static Path codeLocation(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private Run locateAndPrintClasspath(String module) throws Exception {
    String classpath =
        codeLocation(SluiceModules.class)
            + File.pathSeparator
            + codeLocation(PrintModuleClasspath.class);
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                PrintModuleClasspath.class.getName(),
                module)
            .redirectErrorStream(true);
    builder.environment().put(SluiceModules.ROOT_ENV, root.toString());
    Process process = builder.start();
    try {
      byte[] out = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8).lines().toList());
    } finally {
      process.destroyForcibly();
    }
  }

  private Path buildModule(String module, String runtimeClasspath) throws IOException {
    Path target = root.resolve(module).resolve("target");
    Files.createDirectories(target.resolve("classes"));
    Files.writeString(target.resolve("runtime-classpath.txt"), runtimeClasspath);
    return target.resolve("classes");
  }

  @Test
  void builtModuleGivesItsClassesThenTheListedEntries() throws Exception {
    String a = root.resolve("repo/a.jar").toString();
    String b = root.resolve("repo/b.jar").toString();
    Path classes = buildModule("m", a + File.pathSeparator + b + System.lineSeparator());
    buildModule("other", "/elsewhere/x.jar");

    Run run = locateAndPrintClasspath("m");

    assertThat(run.exitCode()).as("output %s", run.lines()).isZero();
    assertThat(run.lines())
        .containsExactly("ROOT " + root.toAbsolutePath().normalize(), classes.toString(), a, b);
  }

  @Test
  void moduleWithEmptyClasspathFileGivesOnlyItsClasses() throws Exception {
    Path classes = buildModule("m", "\n");
    Run run = locateAndPrintClasspath("m");
    assertThat(run.exitCode()).as("output %s", run.lines()).isZero();
    assertThat(run.lines())
        .containsExactly("ROOT " + root.toAbsolutePath().normalize(), classes.toString());
  }

  @Test
  void missingModuleIsNamedWithHowToBuildIt() throws Exception {
    buildModule("m", "");
    Run run = locateAndPrintClasspath("sluice-absent");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.lines())
        .last()
        .asString()
        .startsWith("ERROR ")
        .contains("sluice-absent")
        .containsIgnoringCase("built")
        .contains("package");
  }

  @Test
  void moduleWithoutClasspathFileIsNotBuilt() throws Exception {
    Files.createDirectories(root.resolve("half/target/classes"));
    Run run = locateAndPrintClasspath("half");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.lines())
        .last()
        .asString()
        .startsWith("ERROR ")
        .contains("half")
        .contains("runtime-classpath.txt");
  }

  @Test
  void locatesThisCheckoutAndBuildsAJavaCommandForAModule() {
    // Maven runs the tests from inside the checkout, which the build has already laid out.
    SluiceModules modules = SluiceModules.locate();
    assertThat(modules.root().resolve("sluice-core/pom.xml")).isRegularFile();

    ProcessBuilder builder =
        modules.java("sluice-core", "dev.example.Main", List.of("-Xmx64m"), List.of("a", "b c"));
    List<String> command = builder.command();
    assertThat(command.get(0)).endsWith("java");
    int cp = command.indexOf("-cp");
    assertThat(cp).isPositive();
    assertThat(command.indexOf("-Xmx64m")).isBetween(1, cp - 1);
    assertThat(command.get(cp + 1).split(File.pathSeparator)[0])
        .isEqualTo(modules.root().resolve("sluice-core/target/classes").toString());
    assertThat(command.subList(cp + 2, command.size()))
        .containsExactly("dev.example.Main", "a", "b c");
    assertThat(builder.environment())
        .containsEntry(SluiceModules.ROOT_ENV, modules.root().toString())
        .containsEntry(ParentWatch.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
  }

  @Test
  void jvmOptionsFromTheSettingComeAfterTheModulesAndTheCallersAndChildrenKeepTheSetting()
      throws Exception {
    buildModule("m", "");
    SluiceModules modules =
        SluiceModules.at(root, Map.of("SLUICE_JVM_OPTIONS", "-XX:+UseSerialGC -Xss2m"));

    ProcessBuilder builder = modules.java("m", "dev.example.Main", List.of("-Xmx64m"), List.of());

    List<String> command = builder.command();
    int cp = command.indexOf("-cp");
    assertThat(command.subList(cp - 3, cp))
        .containsExactly("-Xmx64m", "-XX:+UseSerialGC", "-Xss2m");
    builder.environment().put("SLUICE_JVM_OPTIONS", "-XX:+UseSerialGC");
    builder.environment().put("SLUICE_KAFKA", "elsewhere:9092");
    assertThat(SluiceModules.withoutInheritedSettings(builder).environment())
        .containsEntry("SLUICE_JVM_OPTIONS", "-XX:+UseSerialGC")
        .doesNotContainKey("SLUICE_KAFKA");
  }

  @Test
  void badJvmOptionsAreReportedWithTheVariable() {
    assertThatThrownBy(() -> SluiceModules.at(root, Map.of("SLUICE_JVM_OPTIONS", "UseSerialGC")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_JVM_OPTIONS='UseSerialGC' is not valid");
  }
}
