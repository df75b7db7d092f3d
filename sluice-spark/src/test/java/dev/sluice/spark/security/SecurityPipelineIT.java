package dev.sluice.spark.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.loadgen.security.AttackClass;
import dev.sluice.loadgen.security.AttackTruth;
import dev.sluice.spark.stream.RecordDecoder;
import dev.sluice.spark.testing.CrashDrill;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The security pipeline end to end, killed twice while the simulator's attacks and a SYN flood
 * arrive: it ends with exactly the alerts the inspector finds in the events, one incident per
 * attack, the traffic of every record once, and the rejected records quarantined.
 */
class SecurityPipelineIT {
  static final String EVENTS_TOPIC = "security-it-events";
  static final String PACKETS_TOPIC = "security-it-packets";
  static final int SECONDS = 125;

  static SecurityTraffic traffic;

  @BeforeAll
  static void generate() {
    traffic = SecurityTraffic.generate(SECONDS, 40);
  }

  @Test
  void killedTwiceItEndsWithEveryAlertIncidentAndMinuteOnce() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Expected expected = Expected.of(traffic);
    CompletableFuture<Void> events =
        TopicWriter.writeOverTime(
            platform.kafka(), EVENTS_TOPIC, 2, traffic.sensorEvents(), 30, Duration.ofSeconds(60));
    CompletableFuture<Void> packets =
        TopicWriter.writeOverTime(
            platform.kafka(), PACKETS_TOPIC, 2, traffic.packets(), 30, Duration.ofSeconds(60));
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "security-");
    PipelineRun run =
        new PipelineRun(
                platform,
                SecurityDefinition.NAME,
                home,
                "security_it",
                "sensor-events=" + EVENTS_TOPIC + ",packets=" + PACKETS_TOPIC,
                2_000)
            // A slot per partition of the real-time query, and two for the micro-batch queries.
            .onSparkMaster("local[4]");
    long done = expected.injectionAlerts().size() + expected.trafficEvents();
    CrashDrill.runContinuous(run, 2, () -> progress(run), done, 20261130);
    events.get(5, TimeUnit.MINUTES);
    packets.get(5, TimeUnit.MINUTES);

    try (Connection tables = run.connect()) {
      // Every finding of the inspector, once; none in ordinary traffic.
      assertThat(
              new HashSet<>(
                  TableRows.rows(
                      tables,
                      "SELECT event_id, class, rule, field, excerpt FROM alerts"
                          + " WHERE kafka_offset IS NOT NULL")))
          .isEqualTo(expected.injectionAlerts());
      assertThat(
              TableRows.count(tables, "SELECT count(*) FROM alerts WHERE kafka_offset IS NOT NULL"))
          .isEqualTo(expected.injectionAlerts().size());
      assertThat(expected.injectionAlerts())
          .allSatisfy(
              alert -> assertThat(expected.attackEvents()).contains(alert.split(" \\| ")[0]));

      // Every traffic minute, each record once (the copy and the rejected records left out).
      List<String> minutes =
          new ArrayList<>(
              TableRows.rows(
                  tables,
                  "SELECT (extract(epoch FROM minute) * 1000)::bigint, input, source, target,"
                      + " dst_port, proto, events, bytes FROM traffic_minutes"
                      + " WHERE origin = 'stream'"));
      minutes.sort(null);
      assertThat(minutes).isEqualTo(expected.trafficRows());
      assertThat(TableRows.count(tables, "SELECT count(*) FROM quarantine"))
          .isEqualTo(traffic.rejected());

      // One incident per attack, whose class, source and target the truth gives.
      for (AttackTruth truth : traffic.truths()) {
        String source =
            truth.attackClass() == AttackClass.DDOS ? Floods.MANY_SOURCES : truth.sources().get(0);
        assertThat(
                TableRows.count(
                    tables,
                    "SELECT count(*) FROM incidents WHERE class = '"
                        + truth.attackClass().wire()
                        + "' AND source = '"
                        + source
                        + "' AND target = '"
                        + truth.target()
                        + "'"))
            .as("incidents of " + truth)
            .isEqualTo(1);
      }
      assertThat(
              TableRows.count(
                  tables,
                  "SELECT count(*) FROM incidents WHERE class = 'synflood' AND source = '*'"
                      + " AND target = '"
                      + SecurityTraffic.SYN_FLOOD_TARGET
                      + " port "
                      + SecurityTraffic.SYN_FLOOD_PORT
                      + "'"))
          .isEqualTo(1);
      Set<String> attacked = new HashSet<>();
      traffic.truths().forEach(truth -> attacked.add(truth.target()));
      attacked.add(SecurityTraffic.SYN_FLOOD_TARGET + " port " + SecurityTraffic.SYN_FLOOD_PORT);
      assertThat(TableRows.rows(tables, "SELECT DISTINCT target FROM incidents"))
          .allSatisfy(target -> assertThat(attacked).contains(target));
      // An injection incident's size is the events that raised its alerts, each once.
      assertThat(
              TableRows.rows(
                  tables,
                  "SELECT i.id, i.events, count(DISTINCT a.event_id) FROM incidents i"
                      + " JOIN alerts a ON a.incident_id = i.id WHERE a.kafka_offset IS NOT NULL"
                      + " GROUP BY i.id, i.events HAVING i.events <> count(DISTINCT a.event_id)"))
          .isEmpty();
      // The first attack's incident closed once event time passed its quiet period (60 s).
      assertThat(
              TableRows.count(
                  tables,
                  "SELECT count(*) FROM incidents WHERE closed_at = updated_at + interval '60 s'"
                      + " AND updated_at < timestamptz '"
                      + Instant.ofEpochMilli(SecurityTraffic.START + 30_000)
                      + "'"))
          .isPositive();
    }
  }

  /** Injection alerts and traffic events written so far. */
  private static long progress(PipelineRun run) {
    try (Connection connection = run.connect()) {
      return TableRows.count(
          connection,
          "SELECT (SELECT count(*) FROM alerts WHERE kafka_offset IS NOT NULL)"
              + " + (SELECT COALESCE(sum(events), 0) FROM traffic_minutes)");
    } catch (SQLException e) {
      return 0; // before the pipeline's first start created the tables
    }
  }

  /** What the tables must hold, computed from the input with the pipeline's own decoders. */
  record Expected(
      Set<String> injectionAlerts,
      Set<String> attackEvents,
      List<String> trafficRows,
      long trafficEvents) {
    static Expected of(SecurityTraffic traffic) {
      Set<String> alerts = new HashSet<>();
      InjectionInspection inspection = new InjectionInspection();
      for (byte[] value : traffic.sensorEvents()) {
        RecordDecoder.Decoded decoded = inspection.decode(value, EVENTS_TOPIC, 0, 0);
        if (decoded.reason() == null) {
          Object[] fields = decoded.fields();
          List<?> classes = (List<?>) fields[4];
          for (int i = 0; i < classes.size(); i++) {
            alerts.add(
                String.join(
                    " | ",
                    (String) fields[0],
                    (String) classes.get(i),
                    (String) ((List<?>) fields[5]).get(i),
                    (String) ((List<?>) fields[6]).get(i),
                    (String) ((List<?>) fields[7]).get(i)));
          }
        }
      }
      Set<String> attackEvents = new HashSet<>();
      traffic.truths().forEach(truth -> attackEvents.addAll(truth.events()));

      TrafficDecoding decoding = new TrafficDecoding(EVENTS_TOPIC, PACKETS_TOPIC);
      Map<String, long[]> minutes = new HashMap<>();
      Set<String> ids = new HashSet<>();
      long events = 0;
      for (String topic : List.of(EVENTS_TOPIC, PACKETS_TOPIC)) {
        for (byte[] value :
            topic.equals(EVENTS_TOPIC) ? traffic.sensorEvents() : traffic.packets()) {
          RecordDecoder.Decoded decoded = decoding.decode(value, topic, 0, 0);
          if (decoded.reason() != null || !ids.add((String) decoded.fields()[1])) {
            continue;
          }
          Object[] f = decoded.fields();
          long ts = (Long) f[2];
          String key =
              String.join(
                  " | ",
                  Long.toString(ts - Math.floorMod(ts, 60_000L)),
                  (String) f[0],
                  (String) f[3],
                  (String) f[4],
                  f[5].toString(),
                  (String) f[6]);
          long[] sums = minutes.computeIfAbsent(key, k -> new long[2]);
          sums[0]++;
          sums[1] += (Long) f[7];
          events++;
        }
      }
      List<String> rows = new ArrayList<>();
      minutes.forEach(
          (key, sums) ->
              rows.add(String.format(Locale.ROOT, "%s | %d | %d", key, sums[0], sums[1])));
      rows.sort(null);
      return new Expected(Set.copyOf(alerts), attackEvents, rows, events);
    }
  }
}
