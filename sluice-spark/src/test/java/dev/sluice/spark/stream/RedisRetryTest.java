package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.config.Secret;
import dev.sluice.store.redis.Redis;
import dev.sluice.testkit.EmbeddedPlatform;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Retries against a port where no Redis listens: bounded, and the failure names only the address.
 */
class RedisRetryTest {
  @Test
  void aRedisThatStaysAwayFailsTheCallNamingItsAddressButNotItsPassword() {
    int port = EmbeddedPlatform.freePort();
    Redis redis = new Redis(RedisUrl.of("127.0.0.1", port), new Secret("hunter2-secret"));
    assertThatThrownBy(() -> RedisRetry.call(redis, "a test command", jedis -> jedis.ping()))
        .isInstanceOf(RedisRetry.RedisUnavailableException.class)
        .hasMessageContaining("Redis at redis://127.0.0.1:" + port)
        .hasMessageContaining("a test command")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void tellsAnOutageFromARefusedCommand() {
    assertThat(RedisRetry.isOutage(new JedisConnectionException("Connection refused"))).isTrue();
    assertThat(RedisRetry.isOutage(new JedisDataException("LOADING Redis is loading"))).isTrue();
    assertThat(RedisRetry.isOutage(new JedisDataException("ERR Error running script"))).isFalse();
    assertThat(RedisRetry.isOutage(new JedisDataException("WRONGPASS invalid password"))).isFalse();
  }
}
