package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.revenue.LatestStateScript.Outcome;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import dev.sluice.testkit.EmbeddedPlatform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The latest-state script alone, on the platform's real Redis: the state after a set of records is
 * the same whatever order they come in and however often, and equals what plain Java computes from
 * the records.
 */
class LatestStateScriptIT {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static RedisPool pool;

  @BeforeAll
  static void connect() throws InterruptedException {
    Redis redis = new Redis(RedisUrl.parse(EmbeddedPlatform.shared().redis()), null);
    pool = redis.openPool();
    pool.awaitReady(java.time.Duration.ofSeconds(60));
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @Test
  void anyOrderAndAnyRepetitionGiveTheStateOfTheModel() {
    // Step 1: 30 ids (strings, non-ASCII ones, integers, and "7" beside 7), each updated many
    // times, with ties on the timestamp broken by the counter, then the revenue, then the id's
    // form.
    List<RevenueRecord> records = new ArrayList<>();
    Random random = new Random(20261130);
    for (int i = 0; i < 30; i++) {
      String id = i % 3 == 0 ? Integer.toString(i) : (i % 3 == 1 ? "kunde-ü-" + i : "id " + i);
      boolean numeric = i % 3 == 0;
      int versions = 1 + random.nextInt(12);
      for (int v = 0; v < versions; v++) {
        long timestamp = 1_764_000_000_000L + random.nextInt(5) * 1_000L;
        records.add(
            new RevenueRecord(
                id, numeric, random.nextInt(2_000_000) - 500_000, random.nextInt(3), timestamp));
      }
    }
    records.add(new RevenueRecord("7", false, 5_000_000, 9, 1_764_000_009_000L));
    records.add(new RevenueRecord("7", true, 5_000_000, 9, 1_764_000_009_000L));
    records.add(new RevenueRecord("big", false, 9_999_999_999_999_999L, 1, 1_764_000_000_000L));
    records.add(new RevenueRecord("big-2", false, 9_999_999_999_999_999L, 1, 1_764_000_000_000L));
    records.add(new RevenueRecord("neg", false, -9_999_999_999_999_999L, 1, 1_764_000_000_000L));
    RevenueModel model = new RevenueModel(records);

    // Step 2: the records with duplicates, in five shuffled orders, each into its own namespace.
    List<Map<String, String>> states = new ArrayList<>();
    for (int order = 0; order < 5; order++) {
      List<RevenueRecord> arriving = new ArrayList<>(records);
      arriving.addAll(records.subList(0, records.size() / 3));
      Collections.shuffle(arriving, new Random(order));
      RevenueKeys keys = freshKeys();
      try (Jedis jedis = pool.borrow()) {
        LatestStateScript script = new LatestStateScript(keys);
        if (order == 1) {
          jedis.scriptFlush(); // the script reloads itself after NOSCRIPT
        }
        for (RevenueRecord record : arriving) {
          script.apply(jedis, record);
        }
        states.add(RedisState.dump(jedis, keys));
        checkAgainstModel(jedis, keys, model);
      }
    }

    // Step 3: every order left the same state.
    for (Map<String, String> state : states) {
      assertThat(state).isEqualTo(states.get(0));
    }
    assertThat(states.get(0)).containsKeys("totals", "top", "latest:7", "history:big");
  }

  @Test
  void historyKeepsTheNewestRecordsWhateverTheirOrder() {
    List<RevenueRecord> records = new ArrayList<>();
    for (int v = 0; v < RevenueKeys.HISTORY_LIMIT + 30; v++) {
      records.add(new RevenueRecord("long-lived", false, v * 100L, v, 1_764_000_000_000L + v));
    }
    Collections.shuffle(records, new Random(7));
    RevenueKeys keys = freshKeys();
    try (Jedis jedis = pool.borrow()) {
      LatestStateScript script = new LatestStateScript(keys);
      records.forEach(record -> script.apply(jedis, record));
      List<String> history = jedis.zrange(keys.history("long-lived"), 0, -1);
      assertThat(history).hasSize(RevenueKeys.HISTORY_LIMIT);
      assertThat(history.get(0))
          .startsWith(
              records.stream()
                  .filter(r -> r.revenueCounter() == 30)
                  .findFirst()
                  .orElseThrow()
                  .version());
      checkAgainstModel(jedis, keys, new RevenueModel(records));
    }
  }

  @Test
  void anOlderOrEqualRecordChangesNothingButTheHistoryAndPublishesNothing() throws Exception {
    RevenueKeys keys = freshKeys();
    RevenueRecord first = new RevenueRecord("order-1", false, 12_500, 1, 1_764_000_000_000L);
    RevenueRecord older = new RevenueRecord("order-1", false, 99_000, 0, 1_764_000_000_000L);
    RevenueRecord newer = new RevenueRecord("order-1", false, 10_000, 1, 1_764_000_001_000L);
    List<String> published = new CopyOnWriteArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    JedisPubSub listener =
        new JedisPubSub() {
          @Override
          public void onSubscribe(String channel, int count) {
            subscribed.countDown();
          }

          @Override
          public void onMessage(String channel, String message) {
            if (message.equals("end of test")) {
              ended.countDown();
              unsubscribe();
            } else {
              published.add(message);
            }
          }
        };
    Thread subscriber =
        new Thread(
            () -> {
              try (Jedis jedis = pool.borrow()) {
                jedis.subscribe(listener, keys.changes());
              }
            });
    subscriber.start();
    assertThat(subscribed.await(30, TimeUnit.SECONDS)).isTrue();

    try (Jedis jedis = pool.borrow()) {
      LatestStateScript script = new LatestStateScript(keys);
      assertThat(script.apply(jedis, first)).isEqualTo(Outcome.APPLIED);
      Map<String, String> afterFirst = RedisState.dump(jedis, keys);
      assertThat(script.apply(jedis, first)).isEqualTo(Outcome.ALREADY_LATEST);
      assertThat(RedisState.dump(jedis, keys)).isEqualTo(afterFirst);

      assertThat(script.apply(jedis, older)).isEqualTo(Outcome.OLDER);
      Map<String, String> afterOlder = RedisState.dump(jedis, keys);
      assertThat(afterOlder.get("latest:order-1")).isEqualTo(afterFirst.get("latest:order-1"));
      assertThat(afterOlder.get("totals")).isEqualTo(afterFirst.get("totals"));
      assertThat(afterOlder.get("top")).isEqualTo(afterFirst.get("top"));
      assertThat(jedis.zrange(keys.history("order-1"), 0, -1))
          .containsExactly(
              LatestStateScript.historyMember(older), LatestStateScript.historyMember(first));
      assertThat(script.apply(jedis, older)).isEqualTo(Outcome.OLDER);
      assertThat(RedisState.dump(jedis, keys)).isEqualTo(afterOlder);

      assertThat(script.apply(jedis, newer)).isEqualTo(Outcome.APPLIED);
      assertThat(jedis.hgetAll(keys.totals()))
          .containsEntry("ids", "1")
          .containsEntry("revenue_units", "10000");
      jedis.publish(keys.changes(), "end of test");
    }
    assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
    subscriber.join(30_000);
    assertThat(published).containsExactly("order-1", "order-1");
  }

  private static void checkAgainstModel(Jedis jedis, RevenueKeys keys, RevenueModel model) {
    for (RevenueRecord latest : model.latest.values()) {
      assertThat(new java.util.TreeMap<>(jedis.hgetAll(keys.latest(latest.id()))))
          .as("latest of %s", latest.id())
          .isEqualTo(RevenueModel.latestHash(latest));
      assertThat(jedis.zrange(keys.history(latest.id()), 0, -1))
          .as("history of %s", latest.id())
          .containsExactlyElementsOf(model.history.get(latest.id()));
    }
    assertThat(jedis.hgetAll(keys.totals()))
        .containsEntry("ids", Long.toString(model.ids()))
        .containsEntry("revenue_units", Long.toString(model.revenueUnits()));
    assertThat(RedisState.top(jedis, keys)).isEqualTo(model.top());
  }

  private static RevenueKeys freshKeys() {
    return new RevenueKeys(
        "script-it-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet());
  }
}
