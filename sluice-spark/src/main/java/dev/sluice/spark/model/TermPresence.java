package dev.sluice.spark.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * The model's features: which of {@value #BUCKETS} hash buckets a review's words and adjacent word
 * pairs fall into. Buckets are MLlib's {@code HashingTF} buckets for the same terms (MurmurHash3 of
 * the UTF-8 bytes, seed 42), a pair being its two words joined by one space as MLlib's {@code
 * NGram} joins them; so a model keeps the features it had when those stages computed them.
 */
public final class TermPresence {
  public static final int BUCKETS = 1 << 18;
  private static final int SEED = 42;
  private static final byte SPACE = ' ';

  private TermPresence() {}

  /** The bucket of one term. */
  public static int bucket(String term) {
    byte[] utf8 = term.getBytes(StandardCharsets.UTF_8);
    return bucket(utf8, utf8.length);
  }

  /**
   * The distinct buckets of the words and adjacent word pairs, in ascending order: the indices of
   * the review's binary feature vector.
   */
  public static int[] buckets(List<String> words) {
    int n = words.size();
    if (n == 0) {
      return new int[0];
    }
    int[] buckets = new int[2 * n - 1];
    byte[] previous = words.get(0).getBytes(StandardCharsets.UTF_8);
    buckets[0] = bucket(previous, previous.length);
    byte[] pair = new byte[64];
    int count = 1;
    for (int i = 1; i < n; i++) {
      byte[] word = words.get(i).getBytes(StandardCharsets.UTF_8);
      buckets[count++] = bucket(word, word.length);
      int length = previous.length + 1 + word.length;
      if (pair.length < length) {
        pair = new byte[Math.max(length, 2 * pair.length)];
      }
      System.arraycopy(previous, 0, pair, 0, previous.length);
      pair[previous.length] = SPACE;
      System.arraycopy(word, 0, pair, previous.length + 1, word.length);
      buckets[count++] = bucket(pair, length);
      previous = word;
    }
    Arrays.sort(buckets);
    int distinct = 1;
    for (int i = 1; i < buckets.length; i++) {
      if (buckets[i] != buckets[distinct - 1]) {
        buckets[distinct++] = buckets[i];
      }
    }
    return distinct == buckets.length ? buckets : Arrays.copyOf(buckets, distinct);
  }

  private static int bucket(byte[] utf8, int length) {
    int hash = Murmur3_x86_32.hashUnsafeBytes2(utf8, Platform.BYTE_ARRAY_OFFSET, length, SEED);
    int bucket = hash % BUCKETS;
    return bucket < 0 ? bucket + BUCKETS : bucket;
  }
}
