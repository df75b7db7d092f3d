package dev.sluice.core.process;

import dev.sluice.core.config.Settings;
import dev.sluice.core.config.SluiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the built Sluice modules on disk, so any module can run as its own process with its own
 * classpath. The build writes {@code <module>/target/runtime-classpath.txt}; the module's classes
 * are in {@code <module>/target/classes}, or in its jar when the build wrote the module a
 * class-data archive ({@link ClassDataArchive}). Every JVM it starts gets the module's options, the
 * caller's, the archive's, then {@code SLUICE_JVM_OPTIONS}.
 */
public final class SluiceModules {
  public static final String ROOT_ENV = "SLUICE_ROOT";

  private final Path root;
  private final List<String> settingJvmOptions;

  private SluiceModules(Path root, Map<String, String> env) {
    this.root = root;
    Settings settings = new Settings(env);
    this.settingJvmOptions = settings.optional(SluiceConfig.JVM_OPTIONS).orElse(List.of());
    settings.validate();
  }

  /**
   * The checkout that holds the modules: {@code SLUICE_ROOT}, or the nearest parent with the
   * launcher.
   */
  public static SluiceModules locate() {
    String fromEnv = System.getenv(ROOT_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new SluiceModules(Path.of(fromEnv).toAbsolutePath().normalize(), System.getenv());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("sluice"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return new SluiceModules(dir, System.getenv());
      }
    }
    throw new IllegalStateException(
        "cannot find the Sluice checkout: set " + ROOT_ENV + " or run from inside it");
  }

  /** The modules of the checkout at {@code root}. */
  public static SluiceModules at(Path root) {
    return at(root, System.getenv());
  }

  /** The modules of the checkout at {@code root}, with the settings of {@code env}. */
  static SluiceModules at(Path root, Map<String, String> env) {
    return new SluiceModules(root.toAbsolutePath().normalize(), env);
  }

  public Path root() {
    return root;
  }

  /** The runtime classpath of a built module; fails with what to run when it is not built. */
  public List<String> classpath(String module) {
    List<String> entries = new ArrayList<>();
    entries.add(target(module).resolve("classes").toString());
    entries.addAll(dependencies(module));
    return entries;
  }

  /**
   * The runtime classpath of a built module without its own classes; fails with what to run when it
   * is not built.
   */
  List<String> dependencies(String module) {
    Path target = target(module);
    Path classpathFile = target.resolve("runtime-classpath.txt");
    if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(target.resolve("classes"))) {
      throw new IllegalStateException(
          "module "
              + module
              + " is not built (no "
              + root.relativize(classpathFile)
              + "): run ./mvnw -DskipTests package");
    }
    try {
      String text = Files.readString(classpathFile).strip();
      return text.isEmpty() ? List.of() : List.of(text.split(java.io.File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A module's build output directory. */
  Path target(String module) {
    return root.resolve(module).resolve("target");
  }

  /** The java launcher of the JDK this process runs on, which starts every module's JVM. */
  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * JVM options a module needs; Spark's are written by the build from the one list in the parent
   * POM.
   */
  public List<String> jvmOptions(String module) {
    Path options = root.resolve(module).resolve("target/classes/dev/sluice/jvm-options.txt");
    if (!Files.isRegularFile(options)) {
      return List.of();
    }
    try {
      String text = Files.readString(options).strip();
      return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes the SLUICE_* settings the child would inherit from this process's environment, keeping
   * only how it finds the checkout and its parent and how its JVMs run: a child started for a test
   * must start its own systems whatever the developer's shell says.
   */
  public static ProcessBuilder withoutInheritedSettings(ProcessBuilder builder) {
    builder
        .environment()
        .keySet()
        .removeIf(
            key ->
                key.startsWith("SLUICE_")
                    && !key.equals(ROOT_ENV)
                    && !key.equals(ParentWatch.PARENT_PID_ENV)
                    && !key.equals(SluiceConfig.JVM_OPTIONS.env()));
    return builder;
  }

  /** A process builder for {@code java <module options> -cp <module classpath> mainClass args}. */
  public ProcessBuilder java(
      String module, String mainClass, List<String> extraJvmOptions, List<String> args) {
    return java(module, mainClass, extraJvmOptions, List.of(), args);
  }

  /**
   * Like {@link #java(String, String, List, List)}, with more classpath entries (a test tree's
   * classes, for example): before the module's, or after them when the module starts from its
   * class-data archive ({@link ClassDataArchive}), whose classpath must come first. They add
   * classes; they are not for replacing the module's own.
   */
  public ProcessBuilder java(
      String module,
      String mainClass,
      List<String> extraJvmOptions,
      List<String> addedClasspath,
      List<String> args) {
    Optional<ClassDataArchive.Launch> archived =
        new ClassDataArchive(target(module)).launch(dependencies(module));
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions(module));
    command.addAll(extraJvmOptions);
    archived.ifPresent(launch -> command.addAll(launch.jvmOptions()));
    command.addAll(settingJvmOptions);
    command.add("-cp");
    List<String> classpath = new ArrayList<>();
    if (archived.isPresent()) {
      classpath.addAll(archived.get().classpath());
      classpath.addAll(addedClasspath);
    } else {
      classpath.addAll(addedClasspath);
      classpath.addAll(classpath(module));
    }
    command.add(String.join(java.io.File.pathSeparator, classpath));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(ROOT_ENV, root.toString());
    builder
        .environment()
        .put(ParentWatch.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
    return builder;
  }
}
