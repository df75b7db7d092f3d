package dev.sluice.spark.calls;

import dev.sluice.core.calls.PoliceCall;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.spark.testing.TableRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/** Police calls for the calls pipeline's tests, and the counts a test expects of them. */
final class TestCalls {
  /** Where the expected hours are computed: independently of the codec's own conversion. */
  static final ZoneId SAN_FRANCISCO = ZoneId.of("America/Los_Angeles");

  private static final DateTimeFormatter WALL_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");

  private TestCalls() {}

  static byte[] call(String id, String type, LocalDateTime time, String disposition) {
    return PoliceCallCodec.encode(
        new PoliceCall(
            id,
            type,
            time.toLocalDate() + "T00:00:00.000",
            time.toLocalDate() + "T00:00:00.000",
            time.toLocalDate() + "T00:00:00.000",
            String.format("%02d:%02d", time.getHour(), time.getMinute()),
            WALL_TIME.format(time),
            disposition,
            "800 Block Of Market St",
            "San Francisco",
            "CA",
            "1",
            "Premise Address",
            ""));
  }

  /** The key a row of {@code calls_hourly} is compared by: UTC hour, type, code, description. */
  static String key(LocalDateTime time, String type, String disposition, String description) {
    Instant hour = time.atZone(SAN_FRANCISCO).toInstant().truncatedTo(ChronoUnit.HOURS);
    return hour + " | " + type + " | " + disposition + " | " + description;
  }

  static Map<String, Long> hourlyCounts(Connection connection) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    for (String row :
        TableRows.rows(
            connection,
            "SELECT to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                + " call_type, disposition, description, count FROM calls_hourly")) {
      int last = row.lastIndexOf(" | ");
      counts.put(row.substring(0, last), Long.parseLong(row.substring(last + 3)));
    }
    return counts;
  }
}
