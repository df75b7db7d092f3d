package dev.sluice.bench;

/**
 * What one thread of the plain loop ({@link PlainLoopBaseline}) does with each record it reads,
 * keeping its results in memory; called from that thread only.
 */
public interface PlainLoopWork {
  void accept(byte[] key, byte[] value);
}
