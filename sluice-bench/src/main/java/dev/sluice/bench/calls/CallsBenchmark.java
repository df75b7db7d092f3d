package dev.sluice.bench.calls;

import dev.sluice.bench.BenchRecords;
import dev.sluice.bench.BenchTarget;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.PipelineBenchmark;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The calls pipeline's benchmark part, behind {@code ./sluice bench calls}:
 *
 * <ul>
 *   <li><b>Records</b>: generated police calls in event-time order ({@link GeneratedCalls}).
 *   <li><b>Spark part</b>: the calls job as {@code ./sluice run calls} starts it (published radio
 *       codes, 30 minutes' lateness, ids claimed).
 *   <li><b>Plain loop</b>: decode, claim ids, look the code up, count per hour and add each chunk's
 *       counts to its own {@code calls_hourly} ({@link HourlyCounting}).
 *   <li><b>Checks</b>: the pipeline's {@code calls_hourly} equals the plain loop's exactly, and the
 *       plain loop's table holds what it counted.
 * </ul>
 */
public final class CallsBenchmark implements PipelineBenchmark<HourlyCounting> {
  private final RadioCodes codes = RadioCodes.published();

  @Override
  public String unit() {
    return "calls";
  }

  @Override
  public BenchRecords records(SluiceConfig config) {
    return new GeneratedCalls();
  }

  @Override
  public HourlyCounting plainLoopThread(BenchTarget target) {
    return new HourlyCounting(codes, target.database());
  }

  @Override
  public String checkAgainstPlainLoop(BenchTarget drained, List<HourlyCounting> plainLoop) {
    Map<HourlyCounting.Key, Long> counted = new HashMap<>();
    for (HourlyCounting thread : plainLoop) {
      thread.counts().forEach((key, count) -> counted.merge(key, count, Long::sum));
    }
    compare(
        "the plain loop's calls_hourly",
        hourlyCounts(plainLoop.get(0).database()),
        "its counts",
        counted);
    compare("calls_hourly", hourlyCounts(drained.database()), "the plain loop's", counted);
    return String.format(
        Locale.ROOT,
        "its hourly counts, in memory and in its calls_hourly, equal the pipeline's (%,d hours,"
            + " types and codes; %,d calls)",
        counted.size(),
        counted.values().stream().mapToLong(Long::longValue).sum());
  }

  /** Fails the run when {@code actual} differs from {@code expected}, with a few examples. */
  private static void compare(
      String actualName,
      Map<HourlyCounting.Key, Long> actual,
      String expectedName,
      Map<HourlyCounting.Key, Long> expected) {
    if (actual.equals(expected)) {
      return;
    }
    List<String> examples = new ArrayList<>();
    Set<HourlyCounting.Key> keys = new HashSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (HourlyCounting.Key key : keys) {
      if (!Objects.equals(actual.get(key), expected.get(key)) && examples.size() < 5) {
        examples.add(key + ": " + actual.get(key) + " against " + expected.get(key));
      }
    }
    throw new InvalidRunException(
        actualName
            + " differs from "
            + expectedName
            + " ("
            + actual.size()
            + " against "
            + expected.size()
            + " hours, types and codes), e.g. "
            + String.join("; ", examples));
  }

  private static Map<HourlyCounting.Key, Long> hourlyCounts(Database database) {
    Map<HourlyCounting.Key, Long> counts = new HashMap<>();
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(10_000);
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT window_start, call_type, disposition, description, count"
                    + " FROM calls_hourly")) {
          while (rows.next()) {
            counts.put(
                new HourlyCounting.Key(
                    rows.getTimestamp(1).getTime(),
                    rows.getString(2),
                    rows.getString(3),
                    rows.getString(4)),
                rows.getLong(5));
          }
        }
      }
      connection.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read calls_hourly: " + e.getMessage(), e);
    }
    return counts;
  }
}
