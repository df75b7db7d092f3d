package dev.sluice.core.reviews;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The fixed 80/20 split of a labelled dataset: a review is held out for evaluation when a hash of
 * its id falls in the last fifth. A hash of the id, not a random draw, so training, evaluation and
 * the demo's replayer agree on the split in any order and on any number of partitions.
 */
public final class HeldOut {
  public static final int PERCENT = 20;

  private HeldOut() {}

  public static boolean isHeldOut(String id) {
    CRC32 crc = new CRC32();
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % 100 >= 100 - PERCENT;
  }
}
