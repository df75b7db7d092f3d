package dev.sluice.server.revenue;

import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.pipeline.Reads;
import dev.sluice.server.pipeline.RedisReads;
import dev.sluice.server.pipeline.ServerContext;
import dev.sluice.server.pipeline.ServerPart;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The revenue pipeline's read endpoints under {@code /api/revenue/} (see {@code
 * sluice-server/README.md}), its live updates and its page under {@code /revenue/}. Everything is
 * read from Redis, in the layout of {@link RevenueKeys}; the pipeline's input comes from producers,
 * not from the API.
 */
public final class RevenueServerPart implements ServerPart {
  static final int TOP_DEFAULT = 10;
  static final int TOP_MAX = 100;
  static final int MINUTES_DEFAULT = 60;
  static final int MINUTES_MAX = 1_440;
  static final int HISTORY_DEFAULT = 20;

  record Top(List<RevenueReads.TopId> top) {}

  record Minutes(List<com.fasterxml.jackson.databind.node.ObjectNode> minutes) {}

  private final RevenueKeys keys;
  private final RevenueReads reads;
  private RedisReads redis;
  private RevenueLiveFeed feed;

  public RevenueServerPart() {
    this(RevenueKeys.standard());
  }

  RevenueServerPart(RevenueKeys keys) {
    this.keys = keys;
    this.reads = new RevenueReads(keys);
  }

  @Override
  public void start(ServerContext context) {
    redis = context.redis();
    RevenueChanges changes = null;
    if (redis.pool().isPresent()) {
      changes = new RevenueChanges(redis.pool().get(), keys.changes());
      changes.start();
      context.closeOnStop(changes);
    }
    feed = new RevenueLiveFeed(redis, reads, changes);
    context
        .routes()
        .get("/api/revenue/totals", this::totals)
        .get("/api/revenue/top", this::top)
        .get("/api/revenue/minutes", this::minutes)
        .get("/api/revenue/ids", this::lookup);
  }

  @Override
  public Optional<LiveFeed> liveFeed() {
    return Optional.of(feed);
  }

  @Override
  public Map<String, Object> info() {
    return Map.of(
        "history_kept",
        RevenueKeys.HISTORY_LIMIT,
        "live_top",
        RevenueLiveFeed.TOP,
        "live_minutes",
        RevenueLiveFeed.MINUTES);
  }

  private void totals(Context ctx) {
    Reads.json(ctx, redis.query(reads::totals));
  }

  private void top(Context ctx) {
    int limit = RevenueParams.limit("limit", ctx.queryParam("limit"), TOP_DEFAULT, TOP_MAX);
    Reads.json(ctx, new Top(redis.query(jedis -> reads.top(jedis, limit))));
  }

  private void minutes(Context ctx) {
    int limit = RevenueParams.limit("limit", ctx.queryParam("limit"), MINUTES_DEFAULT, MINUTES_MAX);
    Reads.json(ctx, new Minutes(redis.query(jedis -> reads.minutes(jedis, limit))));
  }

  private void lookup(Context ctx) {
    String id = RevenueParams.id(ctx.queryParam("id"));
    int history =
        RevenueParams.limit(
            "history", ctx.queryParam("history"), HISTORY_DEFAULT, RevenueKeys.HISTORY_LIMIT);
    RevenueReads.Lookup found =
        redis
            .query(jedis -> reads.lookup(jedis, id, history))
            .orElseThrow(
                () ->
                    new Problem(
                        404,
                        "no id '"
                            + Reads.abbreviate(id)
                            + "' in Redis: the pipeline has not seen it",
                        Map.of("id", id)));
    Reads.json(ctx, found);
  }
}
