package dev.sluice.server.calls;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.HourlyWindows;
import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.pipeline.Reads;
import dev.sluice.server.pipeline.ServerContext;
import dev.sluice.server.pipeline.ServerPart;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls pipeline's endpoints, all reads of {@code calls_hourly} ({@code
 * sluice-server/README.md}): {@code GET /api/calls/hourly?hours=N&limit=N}, {@code
 * /api/calls/types/top?hours=N&limit=N}, {@code /api/calls/hour-of-day?hours=N}, {@code
 * /api/calls/dispositions?hours=N} and {@code /api/calls/unknown-codes?limit=N}; its live updates
 * and its page {@code /calls/}.
 */
public final class CallsServerPart implements ServerPart {
  static final int HOURS_DEFAULT = 24;
  static final int WEEK = 7 * 24;
  static final int HOURS_MAX = 24 * 31;
  static final int ROWS_DEFAULT = 500;
  static final int ROWS_MAX = 10_000;
  static final int TOP_DEFAULT = 15;
  static final int TOP_MAX = 1000;

  record Hours(List<CallsQueries.HourCount> hours) {}

  record Types(List<CallsQueries.TypeCount> types) {}

  record HoursOfDay(List<CallsQueries.HourOfDay> hours) {}

  record Dispositions(List<CallsQueries.DispositionHour> dispositions) {}

  record Codes(List<CallsQueries.CodeCount> codes) {}

  private final CallsLiveFeed feed = new CallsLiveFeed();
  private Reads reads;

  @Override
  public void start(ServerContext context) {
    reads = context.reads();
    context
        .routes()
        .get("/api/calls/hourly", this::hourly)
        .get("/api/calls/types/top", this::topTypes)
        .get("/api/calls/hour-of-day", this::hourOfDay)
        .get("/api/calls/dispositions", this::dispositions)
        .get("/api/calls/unknown-codes", this::unknownCodes);
  }

  @Override
  public Optional<LiveFeed> liveFeed() {
    return Optional.of(feed);
  }

  @Override
  public Map<String, Object> info() {
    return Map.of(
        "topic", CallsDefinition.TOPIC,
        "window", HourlyWindows.WINDOW,
        "recent_hours", CallsLiveFeed.HOURS);
  }

  /** An {@code hours} parameter: absent gives a day; a bad one is a 400 naming the range. */
  static int hours(String text) {
    return hours(text, HOURS_DEFAULT);
  }

  static int hours(String text, int defaultHours) {
    if (text == null) {
      return defaultHours;
    }
    try {
      int hours = Integer.parseInt(text.strip());
      if (hours >= 1 && hours <= HOURS_MAX) {
        return hours;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Problem(
        400,
        "hours must be a whole number from 1 to "
            + HOURS_MAX
            + ", got '"
            + Reads.abbreviate(text)
            + "'");
  }

  private void hourly(Context ctx) {
    int hours = hours(ctx.queryParam("hours"));
    int limit = Reads.limit(ctx.queryParam("limit"), ROWS_DEFAULT, ROWS_MAX);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new Hours(
                    CallsQueries.recentHours(c, CallsQueries.lastCommittedSeq(c), hours, limit))));
  }

  private void topTypes(Context ctx) {
    int hours = hours(ctx.queryParam("hours"), WEEK);
    int limit = Reads.limit(ctx.queryParam("limit"), TOP_DEFAULT, TOP_MAX);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new Types(
                    CallsQueries.topTypes(c, CallsQueries.lastCommittedSeq(c), hours, limit))));
  }

  private void hourOfDay(Context ctx) {
    int hours = hours(ctx.queryParam("hours"), WEEK);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new HoursOfDay(
                    CallsQueries.perHourOfDay(c, CallsQueries.lastCommittedSeq(c), hours))));
  }

  private void dispositions(Context ctx) {
    int hours = hours(ctx.queryParam("hours"));
    Reads.json(
        ctx,
        reads.query(
            c ->
                new Dispositions(
                    CallsQueries.dispositionsOverTime(
                        c, CallsQueries.lastCommittedSeq(c), hours))));
  }

  private void unknownCodes(Context ctx) {
    int limit = Reads.limit(ctx.queryParam("limit"), TOP_DEFAULT, TOP_MAX);
    Reads.json(
        ctx,
        reads.query(
            c -> new Codes(CallsQueries.unknownCodes(c, CallsQueries.lastCommittedSeq(c), limit))));
  }
}
