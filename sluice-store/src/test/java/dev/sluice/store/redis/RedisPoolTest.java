package dev.sluice.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.config.Secret;
import dev.sluice.core.config.SluiceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client against an address where nothing answers (a port just freed); {@code EmbeddedRedisIT}
 * in sluice-infra runs it against a real redis-server.
 */
class RedisPoolTest {
  private static final String PASSWORD = "pool-Pa55word";

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Test
  void withNothingListeningPingIsFalseAndAwaitReadyNamesTheAddressNotThePassword()
      throws Exception {
    int port = closedPort();
    Redis redis = new Redis(RedisUrl.of("127.0.0.1", port), new Secret(PASSWORD));
    try (RedisPool pool = redis.openPool()) {
      assertThat(pool.ping()).isFalse();
      assertThatThrownBy(() -> pool.awaitReady(Duration.ofMillis(300)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("redis://127.0.0.1:" + port + " did not answer PING")
          .hasMessageNotContaining(PASSWORD);
    }
  }

  @Test
  void fromConfigTakesTheUrlAndThePasswordButPrintsOnlyTheUrl() {
    Redis redis =
        Redis.from(
            SluiceConfig.from(
                Map.of(
                    "SLUICE_REDIS", "rediss://cache:6380/4", "SLUICE_REDIS_PASSWORD", PASSWORD)));
    assertThat(redis.url()).isEqualTo(new RedisUrl(true, "cache", 6380, 4));
    assertThat(redis.password().reveal()).isEqualTo(PASSWORD);
    assertThat(redis).hasToString("rediss://cache:6380/4");
    assertThat(redis.clientConfig().getPassword()).isEqualTo(PASSWORD);
    assertThat(redis.clientConfig().getDatabase()).isEqualTo(4);
    assertThat(redis.clientConfig().isSsl()).isTrue();
    assertThat(redis.clientConfig().getSocketTimeoutMillis())
        .isEqualTo((int) Redis.SOCKET_TIMEOUT.toMillis());
  }

  @Test
  void withoutSluiceRedisThereIsNoRedisToConnectTo() {
    assertThatThrownBy(() -> Redis.from(SluiceConfig.from(Map.of())))
        .hasMessageContaining("SLUICE_REDIS is not set");
  }
}
