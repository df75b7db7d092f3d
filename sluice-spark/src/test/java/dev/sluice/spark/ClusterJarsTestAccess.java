package dev.sluice.spark;

/** Lets tests in other packages see which jars Sluice ships to a cluster. */
public final class ClusterJarsTestAccess {
  private ClusterJarsTestAccess() {}

  public static boolean isShipped(String fileName) {
    return ClusterJars.isShipped(fileName);
  }
}
