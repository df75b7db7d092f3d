package dev.sluice.spark.revenue;

import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Applies a revenue record to its id's state in Redis, in one Lua script ({@code latest-state.lua},
 * beside this class) that Redis runs atomically:
 *
 * <ul>
 *   <li>the record joins the id's history, which keeps the newest {@value
 *       RevenueKeys#HISTORY_LIMIT} distinct records by version;
 *   <li>when its {@link RevenueRecord#version() version} is strictly greater than the stored one,
 *       it becomes the id's latest: the latest hash, the totals ({@code ids} +1 for a new id,
 *       {@code revenue_units} + new − old, in Redis's 64-bit integers) and {@code top} change
 *       together, and the id is published on {@code changes};
 *   <li>the same version again (a replay, a duplicate) changes nothing; an older one changes only
 *       the history, where it takes its place by version.
 * </ul>
 *
 * So the state after any set of records is the same whatever order they came in and however often
 * each came. Run with {@code EVALSHA}; a Redis that does not know the script yet (a fresh start, a
 * {@code SCRIPT FLUSH}) answers {@code NOSCRIPT}, and it is loaded and run again.
 */
public final class LatestStateScript {
  static final String RESOURCE = "latest-state.lua";

  private static final String SOURCE = load();
  private static final String SHA1 = sha1(SOURCE);

  /** What applying a record did. */
  public enum Outcome {
    /** The record became the id's latest. */
    APPLIED,
    /** The id's latest is this very record (same version): nothing changed. */
    ALREADY_LATEST,
    /** The id has a newer record: only its history may have taken this one. */
    OLDER;

    /** Whether the record is the id's latest now, so that its state is to be published. */
    public boolean isLatest() {
      return this != OLDER;
    }
  }

  private final RevenueKeys keys;

  public LatestStateScript(RevenueKeys keys) {
    this.keys = keys;
  }

  public Outcome apply(Jedis jedis, RevenueRecord record) {
    List<String> keyList =
        List.of(keys.latest(record.id()), keys.history(record.id()), keys.totals(), keys.top());
    String version = record.version();
    List<String> args =
        List.of(
            version,
            record.id(),
            record.numericId() ? "1" : "0",
            record.revenue().toPlainString(),
            Long.toString(record.revenueUnits()),
            Long.toString(record.revenueCounter()),
            Long.toString(record.timestamp()),
            historyMember(record),
            Integer.toString(RevenueKeys.HISTORY_LIMIT),
            keys.changes());
    Object answer;
    try {
      answer = jedis.evalsha(SHA1, keyList, args);
    } catch (JedisNoScriptException e) {
      jedis.scriptLoad(SOURCE);
      answer = jedis.evalsha(SHA1, keyList, args);
    }
    long code = (Long) answer;
    return code == 2 ? Outcome.APPLIED : code == 1 ? Outcome.ALREADY_LATEST : Outcome.OLDER;
  }

  /** A history entry: the version, a space and the record's JSON, so entries sort by version. */
  public static String historyMember(RevenueRecord record) {
    return record.version()
        + " "
        + new String(JsonRecords.write(RevenueCodec.toJson(record)), StandardCharsets.UTF_8);
  }

  private static String load() {
    try (InputStream in = LatestStateScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the script " + RESOURCE + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
