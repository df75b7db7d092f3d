package dev.sluice.server.revenue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * The questions the revenue page and API ask of Redis, one method each, read in the layout of
 * {@link RevenueKeys}: the API routes and the live feed ask them the same way. A stored value that
 * cannot be read (a key written by something else) is left out and logged, never guessed at.
 */
final class RevenueReads {
  private static final Logger LOG = LoggerFactory.getLogger(RevenueReads.class);

  /**
   * One state of an id.
   *
   * @param revenue the exact decimal, as text: a JSON number would pass through a double in the
   *     browser
   * @param time the timestamp in ISO-8601
   */
  record IdState(
      String id,
      boolean numericId,
      String revenue,
      long revenueCounter,
      long timestamp,
      String time,
      String version) {
    static IdState of(RevenueRecord record) {
      return new IdState(
          record.id(),
          record.numericId(),
          record.revenue().toPlainString(),
          record.revenueCounter(),
          record.timestamp(),
          Instant.ofEpochMilli(record.timestamp()).toString(),
          record.version());
    }
  }

  /**
   * @param ids ids seen
   * @param revenue the sum of the latest records' revenues, exact
   */
  record Totals(long ids, String revenue) {}

  /** An id of the top ones, by its latest revenue. */
  record TopId(int rank, IdState latest) {}

  /**
   * An id's latest state and its history of changes, newest first.
   *
   * @param history the newest {@code limit} of the {@value RevenueKeys#HISTORY_LIMIT} kept
   * @param kept how many states Redis keeps for the id
   */
  record Lookup(IdState latest, List<IdState> history, long kept) {}

  private final RevenueKeys keys;

  RevenueReads(RevenueKeys keys) {
    this.keys = keys;
  }

  Totals totals(Jedis jedis) {
    List<String> values = jedis.hmget(keys.totals(), "ids", "revenue_units");
    long ids = number(values.get(0), keys.totals() + " ids");
    long units = number(values.get(1), keys.totals() + " revenue_units");
    return new Totals(ids, amount(units));
  }

  /** The ids with the highest latest revenue, highest first. */
  List<TopId> top(Jedis jedis, int limit) {
    List<Tuple> ranked = jedis.zrevrangeWithScores(keys.top(), 0, limit - 1);
    Pipeline pipeline = jedis.pipelined();
    List<Response<Map<String, String>>> latest = new ArrayList<>(ranked.size());
    for (Tuple tuple : ranked) {
      latest.add(pipeline.hgetAll(keys.latest(tuple.getElement())));
    }
    pipeline.sync();
    List<TopId> top = new ArrayList<>(ranked.size());
    for (int i = 0; i < ranked.size(); i++) {
      Optional<IdState> state = latest(ranked.get(i).getElement(), latest.get(i).get());
      if (state.isPresent()) {
        top.add(new TopId(top.size() + 1, state.get()));
      }
    }
    return top;
  }

  /**
   * The newest {@code limit} minutes of event time, oldest first, each as the pipeline wrote it
   * ({@code minute}, {@code start}, {@code records}, {@code revenue}, ...). The hash holds a field
   * per minute ever seen: its field names are read whole, a few bytes per minute.
   */
  List<ObjectNode> minutes(Jedis jedis, int limit) {
    List<String> newest =
        jedis.hkeys(keys.minutes()).stream()
            .filter(field -> field.matches("\\d{1,15}"))
            .sorted(Comparator.comparingLong((String field) -> Long.parseLong(field)).reversed())
            .limit(limit)
            .sorted(Comparator.comparingLong((String field) -> Long.parseLong(field)))
            .toList();
    if (newest.isEmpty()) {
      return List.of();
    }
    List<String> values = jedis.hmget(keys.minutes(), newest.toArray(String[]::new));
    List<ObjectNode> minutes = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) {
        continue; // removed between the two reads
      }
      JsonRecords.Parsed parsed =
          JsonRecords.parse(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (parsed.ok()) {
        minutes.add(parsed.object());
      } else {
        LOG.warn("{} {}: not a minute's JSON: {}", keys.minutes(), newest.get(i), parsed.reason());
      }
    }
    return minutes;
  }

  /** The id's latest state and newest history, or empty for an id never seen. */
  Optional<Lookup> lookup(Jedis jedis, String id, int historyLimit) {
    Pipeline pipeline = jedis.pipelined();
    Response<Map<String, String>> latest = pipeline.hgetAll(keys.latest(id));
    Response<List<String>> history = pipeline.zrevrange(keys.history(id), 0, historyLimit - 1);
    Response<Long> kept = pipeline.zcard(keys.history(id));
    pipeline.sync();
    Optional<IdState> state = latest(id, latest.get());
    if (state.isEmpty()) {
      return Optional.empty();
    }
    List<IdState> changes = new ArrayList<>();
    for (String member : history.get()) {
      int space = member.indexOf(' ');
      RevenueCodec.Decoded decoded =
          space < 0 ? null : RevenueCodec.decode(member.substring(space + 1));
      if (decoded != null && decoded.ok()) {
        changes.add(IdState.of(decoded.record()));
      } else {
        LOG.warn("{}: not a history member: {}", keys.history(id), member);
      }
    }
    return Optional.of(new Lookup(state.get(), changes, kept.get()));
  }

  /** The latest hash of an id as a state, or empty when it has none (or an unreadable one). */
  private Optional<IdState> latest(String id, Map<String, String> hash) {
    if (hash == null || hash.isEmpty()) {
      return Optional.empty();
    }
    try {
      RevenueRecord record =
          new RevenueRecord(
              hash.getOrDefault("id", id),
              "1".equals(hash.get("numeric_id")),
              Long.parseLong(hash.get("revenue_units")),
              Long.parseLong(hash.get("revenue_counter")),
              Long.parseLong(hash.get("timestamp")));
      return Optional.of(IdState.of(record));
    } catch (RuntimeException e) {
      LOG.warn("{}: not an id's latest state: {}", keys.latest(id), hash);
      return Optional.empty();
    }
  }

  private long number(String value, String what) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      LOG.warn("{}: not a whole number: {}", what, value);
      return 0;
    }
  }

  /** Ten-thousandths as an exact decimal without trailing zeros. */
  static String amount(long units) {
    BigDecimal exact = BigDecimal.valueOf(units, RevenueRecord.SCALE).stripTrailingZeros();
    return (exact.scale() < 0 ? exact.setScale(0) : exact).toPlainString();
  }
}
