package dev.sluice.spark.revenue;

import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.store.redis.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/** Everything a namespace holds in Redis, as plain text per key, so two states compare. */
final class RedisState {
  private RedisState() {}

  /** Key (without the namespace) to its content. */
  static Map<String, String> dump(Jedis jedis, RevenueKeys keys) {
    Map<String, String> state = new TreeMap<>();
    for (String key : RedisKeys.of(jedis, keys.namespace())) {
      state.put(key.substring(keys.namespace().length() + 1), content(jedis, key));
    }
    return state;
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
