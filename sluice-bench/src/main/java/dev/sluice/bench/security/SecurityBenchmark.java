package dev.sluice.bench.security;

import dev.sluice.bench.BenchRecord;
import dev.sluice.bench.BenchRecords;
import dev.sluice.bench.BenchTarget;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.PipelineBenchmark;
import dev.sluice.bench.RealTimeResults;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.detect.eval.Delivery;
import dev.sluice.loadgen.security.AttackWordlists;
import dev.sluice.loadgen.security.BenignTexts;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.security.SecurityJob;
import dev.sluice.store.Database;
import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The security pipeline's benchmark part, behind {@code ./sluice bench security}: the per-event
 * detection, which is the pipeline's hot path.
 *
 * <ul>
 *   <li><b>Records</b>: the sensor simulator's events ({@link SimulatedSensorEvents}), about one in
 *       a hundred an injection attempt from the wfuzz lists.
 *   <li><b>Spark part</b>: the injection query alone ({@code security-injections}, real-time mode,
 *       as the pipeline runs it); the flood and traffic queries are event-time windows over the
 *       same events and are not measured here. It keeps no ledger: the harness watches its alerts
 *       ({@link RealTimeResults}), and the latency is from an event's Kafka timestamp to its alert
 *       row.
 *   <li><b>Plain loop</b>: decode and inspect each event with the same inspector calls ({@link
 *       InjectionScan}).
 *   <li><b>Checks</b>: the alerts per class equal the plain loop's findings.
 * </ul>
 */
public final class SecurityBenchmark implements PipelineBenchmark<InjectionScan> {
  /** A marker's event id: {@code bench-marker-<run>-<name>-<partition>}. */
  static final String MARKER_PREFIX = "bench-marker-";

  @Override
  public List<String> missingInputs(SluiceConfig config) {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(AttackWordlists.DEBIAN_INJECTIONS)) {
      problems.add(
          "no wfuzz wordlists at "
              + AttackWordlists.DEBIAN_INJECTIONS
              + ": install the Debian package wfuzz (apt-get install wfuzz)");
    }
    if (!Files.isRegularFile(AttackWordlists.DEBIAN_USER_AGENTS)) {
      problems.add(
          "no user agents at "
              + AttackWordlists.DEBIAN_USER_AGENTS
              + ": install the Debian package sqlmap (apt-get install sqlmap)");
    }
    return problems;
  }

  @Override
  public String unit() {
    return "sensor events";
  }

  @Override
  public InputTopic input(PipelineDefinition definition) {
    return SecurityDefinition.SENSOR_EVENTS;
  }

  @Override
  public String query(PipelineDefinition definition) {
    return SecurityDefinition.INJECTIONS_QUERY;
  }

  /** A detection costs about a millisecond of CPU: 100,000 events take a minute or two. */
  @Override
  public int recordsByDefault() {
    return 100_000;
  }

  /** The target: an alert within 100 ms of the event's append, at 5,000 events/s. */
  @Override
  public int latencyRateByDefault() {
    return 5_000;
  }

  @Override
  public double latencyTargetMs() {
    return 100;
  }

  @Override
  public Optional<RealTimeResults> realTimeResults() {
    return Optional.of(new Alerts());
  }

  @Override
  public BenchRecords records(SluiceConfig config) {
    AttackWordlists lists = AttackWordlists.debian();
    return new SimulatedSensorEvents(
        lists, BenignTexts.imdb(config.datasets(), lists.allPayloads()));
  }

  @Override
  public SparkPipeline sparkJob(
      PipelineDefinition definition, SluiceConfig config, PrintStream progress) {
    return context -> List.of(SecurityJob.startInjections(context));
  }

  @Override
  public InjectionScan plainLoopThread(BenchTarget target) {
    return new InjectionScan();
  }

  @Override
  public String checkAgainstPlainLoop(BenchTarget drained, List<InjectionScan> plainLoop) {
    Map<String, Long> expected = new TreeMap<>();
    long rejected = 0;
    for (InjectionScan thread : plainLoop) {
      thread.findings().forEach((kind, count) -> expected.merge(kind, count, Long::sum));
      rejected += thread.rejected();
      thread.close();
    }
    Map<String, Long> alerts = alertsPerClass(drained.database());
    if (!alerts.equals(expected)) {
      throw new InvalidRunException(
          "the pipeline's alerts per class "
              + alerts
              + " differ from the plain loop's findings "
              + expected
              + " over the same events");
    }
    if (rejected > 0) {
      throw new InvalidRunException(
          "the plain loop rejected " + rejected + " of the simulator's events: a codec bug");
    }
    return String.format(
        Locale.ROOT,
        "its findings equal the pipeline's alerts, per class: %s",
        expected.toString().replace("=", " "));
  }

  private static Map<String, Long> alertsPerClass(Database database) {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT class, count(*) FROM alerts WHERE kafka_offset IS NOT NULL GROUP BY class");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the alerts: " + e.getMessage(), e);
    }
    return counts;
  }

  /** The injection query's results: its alert rows, one or more per alerting event. */
  static final class Alerts implements RealTimeResults {
    @Override
    public String unit() {
      return "alerted events";
    }

    @Override
    public BenchRecord marker(String runId, String name, int partition) {
      String id = MARKER_PREFIX + runId + "-" + name + "-" + partition;
      return new BenchRecord(
          id,
          SensorEventCodec.encode(
              SecurityEvaluation.event(
                  id,
                  System.currentTimeMillis(),
                  "192.0.2." + (1 + partition % 254),
                  Delivery.QUERY_PARAMETER.event(SecurityEvaluation.MARKER))));
    }

    @Override
    public Watch watch(BenchTarget target) {
      Connection connection;
      try {
        connection = target.database().connect();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot watch the alerts: " + e.getMessage(), e);
      }
      return new Watch() {
        @Override
        public long markersWritten(String runId, String name) {
          return count(
              "SELECT count(DISTINCT event_id) FROM alerts WHERE starts_with(event_id, ?)",
              MARKER_PREFIX + runId + "-" + name + "-");
        }

        @Override
        public long results() {
          return count(
              "SELECT count(DISTINCT (kafka_partition, kafka_offset)) FROM alerts"
                  + " WHERE kafka_offset IS NOT NULL");
        }

        private long count(String sql, String... parameters) {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
              row.next();
              return row.getLong(1);
            }
          } catch (SQLException e) {
            throw new IllegalStateException("cannot count the alerts: " + e.getMessage(), e);
          }
        }

        /** Per alerting event, its first alert: all of an event's findings are written together. */
        @Override
        public double[] latenciesMs(String runId, long fromMillis) {
          List<Double> latencies = new ArrayList<>();
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT extract(epoch FROM min(detected_at) - min(appended_at)) * 1000 FROM alerts"
                      + " WHERE kafka_offset IS NOT NULL AND NOT starts_with(event_id, ?)"
                      + " AND appended_at >= ?"
                      + " GROUP BY kafka_partition, kafka_offset")) {
            statement.setString(1, MARKER_PREFIX);
            statement.setTimestamp(2, new Timestamp(fromMillis));
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                latencies.add(rows.getDouble(1));
              }
            }
          } catch (SQLException e) {
            throw new IllegalStateException("cannot read the alerts: " + e.getMessage(), e);
          }
          return latencies.stream().mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        public void close() {
          try {
            connection.close();
          } catch (SQLException e) {
            // Closing a connection that failed: nothing is lost.
          }
        }
      };
    }
  }
}
