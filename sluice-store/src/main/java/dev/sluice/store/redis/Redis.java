package dev.sluice.store.redis;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.config.Secret;
import dev.sluice.core.config.SluiceConfig;
import java.io.Serializable;
import java.time.Duration;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where Redis is, and how every Sluice process connects to it: the Redis counterpart of {@link
 * dev.sluice.store.Database}. Serializable, so a Spark job can hand it to its executors and each
 * opens its own {@link RedisPool}; the server and the infra open one from the same settings.
 *
 * @param password null when Redis needs none ({@code Optional} is not serializable)
 */
public record Redis(RedisUrl url, Secret password) implements Serializable {

  /** How long opening a connection may take. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long any one answer may take. Redis answers in microseconds, or at once with an error
   * (LOADING while it reads its append-only file): this only bounds a hung server or network, after
   * which the caller's retry takes over.
   */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

  public static Redis from(SluiceConfig config) {
    return new Redis(config.requireRedis(), config.redisPassword().orElse(null));
  }

  /** A pool of connections; close it when done. Opening it connects to nothing yet. */
  public RedisPool openPool() {
    return new RedisPool(this);
  }

  HostAndPort hostAndPort() {
    return new HostAndPort(url.socketHost(), url.port());
  }

  JedisClientConfig clientConfig() {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
            .socketTimeoutMillis((int) SOCKET_TIMEOUT.toMillis())
            .database(url.database())
            .ssl(url.tls())
            .clientName("sluice")
            // CLIENT SETINFO is Redis 7.2+; Debian 12's 7.0 would answer each new connection with
            // an error the client then ignores: one round trip for nothing.
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            // RESP2, said up front: the classic client cannot negotiate RESP3, and finding that out
            // logged a warning for every new connection.
            .autoNegotiateProtocol(false);
    if (password != null) {
      config.password(password.reveal());
    }
    return config.build();
  }

  /** The address only: the password is never part of it. */
  @Override
  public String toString() {
    return url.toString();
  }
}
