package dev.sluice.core.process;

/**
 * Child-process helper for {@link SluiceModulesTest}: {@link SluiceModules#locate()} reads {@code
 * SLUICE_ROOT} from the environment, which a test can only set for a new process. Prints one
 * classpath entry per line, or {@code ERROR <message>} and exits with 2.
 */
public final class PrintModuleClasspath {
  private PrintModuleClasspath() {}

  public static void main(String[] args) {
    try {
      SluiceModules modules = SluiceModules.locate();
      System.out.println("ROOT " + modules.root());
      for (String entry : modules.classpath(args[0])) {
        System.out.println(entry);
      }
    } catch (IllegalStateException e) {
      System.out.println("ERROR " + e.getMessage());
      System.exit(2);
    }
  }
}
