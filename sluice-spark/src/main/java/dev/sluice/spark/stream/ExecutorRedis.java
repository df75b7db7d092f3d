package dev.sluice.spark.stream;

import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link RedisPool} per Redis per JVM, shared by every task the JVM runs: a real-time task
 * opens its sink at every epoch, and a pool per epoch would connect again each time. The pools live
 * as long as the JVM (an executor's, or the driver's in local mode).
 */
public final class ExecutorRedis {
  private static final ConcurrentMap<Redis, RedisPool> POOLS = new ConcurrentHashMap<>();

  private ExecutorRedis() {}

  public static RedisPool pool(Redis redis) {
    return POOLS.computeIfAbsent(redis, Redis::openPool);
  }
}
