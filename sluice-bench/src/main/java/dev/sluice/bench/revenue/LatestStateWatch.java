package dev.sluice.bench.revenue;

import dev.sluice.bench.BenchTarget;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.RealTimeResults;
import dev.sluice.bench.TopicRecords;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.store.redis.RedisPool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Watches the {@code revenue-latest} query through what it announces: the script {@code PUBLISH}es
 * an id on the namespace's changes channel in the same atomic step that makes a record the id's
 * latest in Redis, so the moment this subscriber hears it is the moment the update became visible
 * (plus a local round trip). Markers are records of fresh ids, announced once each.
 *
 * <p>Latency per update: the records of the phase's topic are read back and replayed against the
 * same rule the script applies (a record is announced when its version is newer than its id's); one
 * id's records are in one partition and applied in its order, so the k-th announcement of an id is
 * the k-th record of that id that won. Its latency is the announcement's time minus that record's
 * Kafka timestamp. The latency to {@code revenue.computed} pairs each winning record with the first
 * computed state of the same id and version.
 */
final class LatestStateWatch implements RealTimeResults.Watch {
  static final String MARKER_PREFIX = "bench-marker-";

  /** Bounds reading the phase's topics back: they hold at most minutes of records. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  /** Below the client's reply timeout, so a quiet channel never drops the subscription. */
  private static final long PING_EVERY_MILLIS = 2_000;

  private record Announcement(String id, long atMillis) {}

  private final BenchTarget target;
  private final RedisPool pool;
  private final Subscription subscription = new Subscription();
  private final ConcurrentLinkedQueue<Announcement> announcements = new ConcurrentLinkedQueue<>();
  private final Set<String> markersHeard = ConcurrentHashMap.newKeySet();
  private final AtomicLong heard = new AtomicLong();
  private final AtomicReference<RuntimeException> broken = new AtomicReference<>();
  private final Thread listener;
  private final Thread pinger;

  LatestStateWatch(BenchTarget target) {
    this.target = target;
    this.pool = target.requireRedis().openPool();
    String channel = new RevenueKeys(target.redisNamespace()).changes();
    this.listener =
        new Thread(
            () -> {
              try (Jedis jedis = pool.borrow()) {
                jedis.subscribe(subscription, channel); // returns when unsubscribed
              } catch (JedisException e) {
                broken.compareAndSet(
                    null,
                    new IllegalStateException(
                        "the subscription to " + channel + " broke: " + e.getMessage(), e));
                subscription.ready.countDown();
              }
            },
            "bench-revenue-changes");
    listener.setDaemon(true);
    listener.start();
    try {
      if (!subscription.ready.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("could not subscribe to " + channel + " within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while subscribing to " + channel, e);
    }
    requireSubscribed();
    this.pinger =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(PING_EVERY_MILLIS);
                  subscription.ping();
                } catch (InterruptedException e) {
                  return;
                } catch (JedisException | IllegalStateException e) {
                  return; // the listener reports the broken subscription
                }
              }
            },
            "bench-revenue-changes-ping");
    pinger.setDaemon(true);
    pinger.start();
  }

  private final class Subscription extends JedisPubSub {
    final CountDownLatch ready = new CountDownLatch(1);

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      ready.countDown();
    }

    @Override
    public void onMessage(String channel, String id) {
      long now = System.currentTimeMillis();
      heard.incrementAndGet();
      if (id.startsWith(MARKER_PREFIX)) {
        markersHeard.add(id);
      }
      announcements.add(new Announcement(id, now));
    }
  }

  private void requireSubscribed() {
    RuntimeException failure = broken.get();
    if (failure != null) {
      throw failure;
    }
  }

  static String markerPrefix(String runId, String name) {
    return MARKER_PREFIX + runId + "-" + name + "-";
  }

  @Override
  public long markersWritten(String runId, String name) {
    requireSubscribed();
    String prefix = markerPrefix(runId, name);
    return markersHeard.stream().filter(id -> id.startsWith(prefix)).count();
  }

  @Override
  public long results() {
    requireSubscribed();
    return heard.get();
  }

  /** A record that won, with its Kafka timestamp. */
  private record Win(String id, String version, long appendedMillis) {}

  @Override
  public double[] latenciesMs(String runId, long fromMillis) {
    requireSubscribed();
    Map<String, ArrayDeque<Long>> heardPerId = new HashMap<>();
    for (Announcement announcement : announcements) {
      heardPerId
          .computeIfAbsent(announcement.id(), id -> new ArrayDeque<>())
          .add(announcement.atMillis());
    }
    List<Double> latencies = new ArrayList<>();
    long unheard = 0;
    for (Win win : wins()) {
      ArrayDeque<Long> heardForId = heardPerId.get(win.id());
      Long heardAt = heardForId == null ? null : heardForId.poll();
      if (heardAt == null) {
        unheard++;
      } else if (measured(win, fromMillis)) {
        latencies.add((double) (heardAt - win.appendedMillis()));
      }
    }
    long extra = heardPerId.values().stream().mapToLong(ArrayDeque::size).sum();
    if (unheard > 0 || extra > 0) {
      throw new InvalidRunException(
          "the pipeline's announcements do not match its records: "
              + unheard
              + " records that should have become their id's latest were not announced, "
              + extra
              + " announcements have no such record");
    }
    return latencies.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public Map<String, double[]> otherLatenciesMs(String runId, long fromMillis) {
    Map<String, Long> computedAt = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> computed : read(target.topic(RevenueDefinition.COMPUTED))) {
      String version = JsonRecords.parse(computed.value()).object().path("version").asText();
      computedAt.putIfAbsent(version + " " + key(computed), computed.timestamp());
    }
    List<Double> latencies = new ArrayList<>();
    for (Win win : wins()) {
      Long at = computedAt.get(win.version() + " " + win.id());
      if (at == null) {
        throw new InvalidRunException(
            "record " + win.id() + " " + win.version() + " won but has no computed state");
      }
      if (measured(win, fromMillis)) {
        latencies.add((double) (at - win.appendedMillis()));
      }
    }
    return Map.of(
        RevenueDefinition.COMPUTED_TOPIC,
        latencies.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static boolean measured(Win win, long fromMillis) {
    return win.appendedMillis() >= fromMillis && !win.id().startsWith(MARKER_PREFIX);
  }

  /** The phase's records that became their id's latest, in the order they were applied. */
  private List<Win> wins() {
    Map<String, String> latest = new HashMap<>();
    List<Win> wins = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> appended : read(target.topic())) {
      RevenueCodec.Decoded decoded = RevenueCodec.decode(appended.value());
      if (!decoded.ok()) {
        continue; // quarantined by the pipeline, never announced
      }
      RevenueRecord record = decoded.record();
      String held = latest.get(record.id());
      if (held == null || record.version().compareTo(held) > 0) {
        latest.put(record.id(), record.version());
        wins.add(new Win(record.id(), record.version(), appended.timestamp()));
      }
    }
    return wins;
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
    try {
      return TopicRecords.read(target.kafka(), topic, READ_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + topic, e);
    }
  }

  @Override
  public void close() {
    pinger.interrupt();
    try {
      subscription.unsubscribe();
    } catch (JedisException | IllegalStateException e) {
      // the subscription is already gone
    }
    try {
      listener.join(2_000);
      pinger.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
  }
}
