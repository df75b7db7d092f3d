package dev.sluice.spark.revenue;

import dev.sluice.core.revenue.RevenueKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Everything a namespace holds in Redis, as plain text per key, so two states compare. */
final class RedisState {
  private RedisState() {}

  /** Key (without the namespace) to its content; a bounded SCAN over the namespace. */
  static Map<String, String> dump(Jedis jedis, RevenueKeys keys) {
    Map<String, String> state = new TreeMap<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams match = new ScanParams().match(keys.pattern()).count(1000);
    for (int round = 0; round < 100_000; round++) {
      ScanResult<String> page = jedis.scan(cursor, match);
      for (String key : page.getResult()) {
        state.put(key.substring(keys.namespace().length() + 1), content(jedis, key));
      }
      cursor = page.getCursor();
      if (cursor.equals(ScanParams.SCAN_POINTER_START)) {
        return state;
      }
    }
    throw new AssertionError("SCAN did not finish");
  }

  private static String content(Jedis jedis, String key) {
    String type = jedis.type(key);
    return switch (type) {
      case "hash" -> new TreeMap<>(jedis.hgetAll(key)).toString();
      case "zset" -> new ArrayList<>(jedis.zrangeWithScores(key, 0, -1)).toString();
      default -> type + ": " + jedis.dump(key).length;
    };
  }

  static List<String> top(Jedis jedis, RevenueKeys keys) {
    return jedis.zrevrange(keys.top(), 0, -1);
  }
}
