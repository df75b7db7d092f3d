package dev.sluice.store.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The keys of a namespace ({@code <namespace>:...}), found with {@code SCAN} rather than {@code
 * KEYS}, which would block Redis for as long as it walks the whole keyspace.
 */
public final class RedisKeys {
  /** SCAN rounds before giving up: a keyspace of a hundred million keys at 1,000 per round. */
  private static final int MAX_ROUNDS = 100_000;

  private static final int PER_ROUND = 1_000;

  private RedisKeys() {}

  /** Every key of the namespace, in no particular order. */
  public static List<String> of(Jedis jedis, String namespace) {
    List<String> keys = new ArrayList<>();
    ScanParams match = new ScanParams().match(pattern(namespace)).count(PER_ROUND);
    String cursor = ScanParams.SCAN_POINTER_START;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      ScanResult<String> page = jedis.scan(cursor, match);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
      if (cursor.equals(ScanParams.SCAN_POINTER_START)) {
        return keys;
      }
    }
    throw new IllegalStateException(
        "SCAN of " + pattern(namespace) + " did not finish in " + MAX_ROUNDS + " rounds");
  }

  /**
   * Removes every key of the namespace ({@code UNLINK}: Redis frees the memory in the background);
   * returns how many there were.
   */
  public static long delete(Jedis jedis, String namespace) {
    List<String> keys = of(jedis, namespace);
    for (int from = 0; from < keys.size(); from += PER_ROUND) {
      jedis.unlink(
          keys.subList(from, Math.min(keys.size(), from + PER_ROUND)).toArray(String[]::new));
    }
    return keys.size();
  }

  /** The {@code SCAN MATCH} pattern of a namespace: its name and a colon, then anything. */
  public static String pattern(String namespace) {
    if (namespace.isEmpty() || namespace.contains("*") || namespace.contains("?")) {
      throw new IllegalArgumentException("not a namespace: '" + namespace + "'");
    }
    return namespace + ":*";
  }
}
