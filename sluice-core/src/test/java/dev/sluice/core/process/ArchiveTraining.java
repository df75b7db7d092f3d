package dev.sluice.core.process;

/** A training run for {@link ClassDataArchiveTest}: loads a class of its own, from its jar. */
public final class ArchiveTraining {
  private ArchiveTraining() {}

  public static void main(String[] args) {
    System.out.println("trained with " + new java.util.concurrent.ConcurrentSkipListMap<>().size());
  }
}
