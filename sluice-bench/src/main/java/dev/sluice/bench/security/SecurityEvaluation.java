package dev.sluice.bench.security;

import dev.sluice.bench.BenchRun;
import dev.sluice.bench.LatencyStats;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.core.security.FloodThresholds;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.core.security.SensorEvent;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.NativeEngines;
import dev.sluice.detect.eval.Corpus;
import dev.sluice.detect.eval.Delivery;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.Pacer;
import dev.sluice.loadgen.packets.ImportMain;
import dev.sluice.loadgen.reviews.ImdbDataset;
import dev.sluice.loadgen.security.AttackClass;
import dev.sluice.loadgen.security.AttackTruth;
import dev.sluice.loadgen.security.AttackWordlists;
import dev.sluice.loadgen.security.BenignTexts;
import dev.sluice.loadgen.security.Scenario;
import dev.sluice.loadgen.security.SensorTraffic;
import dev.sluice.spark.SparkSessions;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.security.SecurityJob;
import dev.sluice.store.Database;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * How well the security pipeline detects injections, end to end: every corpus entry becomes a
 * sensor event on a fresh topic, the pipeline's queries run on it (in this JVM, Spark local mode),
 * and its alerts are scored against what each event is.
 *
 * <pre>{@code
 * ./sluice eval security                                     # wfuzz lists, IMDB reviews, sqlmap user agents
 * ./sluice eval security --attacks mine.txt --class sqli --benign ours.txt
 * }</pre>
 *
 * <p>An attack entry is sent as parameter {@code q} of {@code GET /search} (as the CRS
 * anchor does), a benign entry as the {@code text} field of a form body, a user agent as the {@code
 * User-Agent} header; each event has a source address of its own, so each detected attack is an
 * incident of its own. Per class: precision (of the events alerted as the class, those that are
 * attacks of it), recall (of the class's attacks, those alerted as it), and the detection delay,
 * from the event's append to Kafka to its first alert row (its incident opens with it), p50 and
 * p99. Then the share of benign events with any alert. The last line is one JSON object.
 *
 * <p>Exit status 0 when the run completed, whatever the figures; 1 when it failed; 2 for bad
 * options or missing inputs.
 */
public final class SecurityEvaluation {
  static final Path WFUZZ = AttackWordlists.DEBIAN_INJECTIONS;
  static final int REVIEWS = 3_000;
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);

  /**
   * One hour of real traffic (Debian's {@code pathspider}), benign: no flood may be raised on it.
   */
  static final Path REAL_CAPTURE =
      Path.of("/usr/lib/python3/dist-packages/pathspider/tests/data/real.pcap");

  /** Events per second: the demo's order of magnitude, well within what detection keeps up with. */
  static final int RATE = 500;

  static final int PARTITIONS = 2;

  /** What a marker event carries: an attack every detector flags (also the benchmark's markers). */
  static final String MARKER = "<script>alert('sluice-eval')</script>";

  private final PrintStream out;
  private final PrintStream progress;

  SecurityEvaluation(PrintStream out, PrintStream progress) {
    this.out = out;
    this.progress = progress;
  }

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    List<Corpus> corpora;
    SluiceConfig config;
    try {
      config = SluiceConfig.fromEnvironment();
      corpora = corpora(List.of(args), config);
      NativeEngines.requireInstalled();
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice eval: " + problem));
      System.exit(2);
      return;
    } catch (NativeEngines.MissingEngineException | IllegalArgumentException e) {
      System.err.println("sluice eval: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      new SecurityEvaluation(System.out, System.err).run(config, corpora);
      System.exit(0);
    } catch (RuntimeException | InterruptedException e) {
      System.err.println("sluice eval: the evaluation failed: " + e);
      System.exit(1);
    }
  }

  /**
   * The corpora the arguments name ({@code --attacks FILE --class CLASS}, {@code --benign FILE},
   * each repeatable), or the defaults without any.
   */
  static List<Corpus> corpora(List<String> args, SluiceConfig config) {
    if (args.isEmpty()) {
      return defaults(config);
    }
    List<Corpus> corpora = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      String value = i + 1 < args.size() ? args.get(i + 1) : null;
      switch (flag) {
        case "--attacks" -> {
          String attackClass =
              i + 3 < args.size() && "--class".equals(args.get(i + 2)) ? args.get(i + 3) : null;
          if (value == null || attackClass == null) {
            problems.add("--attacks FILE must be followed by --class CLASS");
            i = args.size();
            continue;
          }
          if (!attackClass.matches("[a-z][a-z-]{0,30}")) {
            problems.add("--class '" + attackClass + "' is not a class name such as sqli or xss");
          }
          corpora.add(file(value, attackClass, Delivery.QUERY_PARAMETER, problems));
          i += 3;
        }
        case "--benign" -> {
          if (value == null) {
            problems.add("--benign needs a file, one benign text a line");
            i = args.size();
            continue;
          }
          corpora.add(file(value, null, Delivery.FORM_BODY, problems));
          i += 1;
        }
        default ->
            problems.add(
                "unknown option '"
                    + flag
                    + "': expected --attacks FILE --class CLASS or --benign FILE, each repeatable");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return corpora;
  }

  private static Corpus file(
      String name, String attackClass, Delivery delivery, List<String> problems) {
    Path path = Path.of(name);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      problems.add(name + " is not a readable file");
      return new Corpus(name, attackClass, delivery, List.of());
    }
    List<String> entries = Corpus.lines(path, false, Integer.MAX_VALUE);
    if (entries.isEmpty()) {
      problems.add(name + " has no entries (one a line)");
    }
    return new Corpus(path.getFileName().toString(), attackClass, delivery, entries);
  }

  static List<Corpus> defaults(SluiceConfig config) {
    Path reviews = config.datasets().resolve(ImdbDataset.FILE_NAME);
    if (!Files.isRegularFile(reviews)) {
      throw new ConfigException(
          reviews
              + " is missing: ./sluice dataset fetches the IMDB reviews (./sluice eval does too)");
    }
    AttackWordlists lists = AttackWordlists.debian();
    return List.of(
        new Corpus(
            "wfuzz SQL.txt",
            "sqli",
            Delivery.QUERY_PARAMETER,
            Corpus.lines(WFUZZ.resolve("SQL.txt"), false, Integer.MAX_VALUE)),
        new Corpus(
            "wfuzz XSS.txt",
            "xss",
            Delivery.QUERY_PARAMETER,
            Corpus.lines(WFUZZ.resolve("XSS.txt"), false, Integer.MAX_VALUE)),
        new Corpus(
            "wfuzz Traversal.txt",
            "traversal",
            Delivery.QUERY_PARAMETER,
            Corpus.lines(WFUZZ.resolve("Traversal.txt"), false, Integer.MAX_VALUE)),
        new Corpus(
            "wfuzz All_attack.txt, shell command chains",
            "cmdi",
            Delivery.QUERY_PARAMETER,
            lists.payloads(AttackClass.CMDI)),
        new Corpus(
            "IMDB reviews (first " + REVIEWS + ")",
            null,
            Delivery.FORM_BODY,
            Corpus.jsonLinesField(reviews, "text", REVIEWS)),
        new Corpus("sqlmap user-agents.txt", null, Delivery.USER_AGENT, lists.userAgents()));
  }

  /** What one sent event is: its corpus and, for an attack, its class. */
  record Sent(Corpus corpus, String attackClass) {}

  void run(SluiceConfig config, List<Corpus> corpora) throws InterruptedException {
    SecurityDefinition definition =
        (SecurityDefinition) Pipelines.registered().require(SecurityDefinition.NAME);
    BenchRun run = BenchRun.create(config, definition);
    Thread cleanUp = new Thread(() -> run.cleanUp(progress), "sluice-eval-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanUp);
    try {
      run.createTopic(BenchRun.Phase.EVAL, SecurityDefinition.SENSOR_EVENTS, PARTITIONS);
      run.createTopic(BenchRun.Phase.EVAL, SecurityDefinition.PACKETS, 1);
      Database database = run.createSchema(BenchRun.Phase.EVAL);
      String eventsTopic = run.topic(BenchRun.Phase.EVAL, SecurityDefinition.SENSOR_EVENTS);
      String packetsTopic = run.topic(BenchRun.Phase.EVAL, SecurityDefinition.PACKETS);
      long packets = importRealCapture(config, packetsTopic);
      Map<String, Sent> sent;
      List<AttackTruth> floods;
      long floodsFrom;
      SparkSession spark = SparkSessions.forPipelines("sluice-eval-security", "local[4]", 2);
      try {
        PipelineContext context =
            new PipelineContext(
                spark,
                definition,
                database,
                config.requireKafka(),
                Map.of(
                    SecurityDefinition.SENSOR_EVENTS.name(),
                    eventsTopic,
                    SecurityDefinition.PACKETS.name(),
                    packetsTopic),
                run.checkpoints(BenchRun.Phase.EVAL),
                config.models(),
                config.maxRecordsPerBatch(),
                Trigger.ProcessingTime(250),
                Optional.empty());
        List<StreamingQuery> queries = SecurityJob.start(context, FloodThresholds.defaults());
        try {
          // The delay is measured while the pipeline runs, not from a backlog it starts on.
          sendMarkers(config.requireKafka(), eventsTopic, "warm-up");
          awaitMarkers(database, queries, "warm-up");
          sent = send(config.requireKafka(), eventsTopic, corpora);
          progress.printf(
              Locale.ROOT,
              "eval: sent %,d events to %s at %,d/s%n",
              sent.size(),
              eventsTopic,
              RATE);
          sendMarkers(config.requireKafka(), eventsTopic, "end");
          awaitMarkers(database, queries, "end");
          floodsFrom = System.currentTimeMillis();
          floods = sendFloods(config, eventsTopic);
          awaitFloods(database, queries, floods);
          awaitPackets(database, queries, packets);
        } finally {
          for (StreamingQuery query : queries) {
            try {
              query.stop();
            } catch (java.util.concurrent.TimeoutException e) {
              progress.println("eval: query " + query.name() + " did not stop: " + e);
            }
          }
        }
      } finally {
        spark.stop();
      }
      String json = report(score(database, sent, corpora), corpora, sent);
      json = withFloods(json, scoreFloods(database, floods, floodsFrom));
      long realAlerts = reportRealCapture(database, packetsTopic, packets);
      out.println(
          json.substring(0, json.length() - 1)
              + (packets == 0
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      ",\"real_capture_packets\":%d,\"real_capture_alerts\":%d",
                      packets,
                      realAlerts))
              + "}");
    } finally {
      run.cleanUp(progress);
      Runtime.getRuntime().removeShutdownHook(cleanUp);
    }
  }

  /** Seconds of event time each flood scenario runs: one flood, from 5 s to 15 s. */
  static final int FLOOD_SCENARIO_SECONDS = 30;

  /** The simulator's ordinary rate, for which the flood thresholds' defaults are set. */
  static final int ORDINARY_PER_SECOND = 200;

  /**
   * The simulator's single-source and distributed floods over its ordinary traffic, in real time
   * (event time follows the clock, so windows close as they would in production); returns their
   * ground truth.
   */
  private List<AttackTruth> sendFloods(SluiceConfig config, String topic)
      throws InterruptedException {
    AttackWordlists lists = AttackWordlists.debian();
    List<String> texts = BenignTexts.imdb(config.datasets(), lists.allPayloads());
    List<AttackTruth> truths = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            ReliableProducer.perRecordProperties(config.requireKafka(), "sluice-eval"))) {
      for (Scenario scenario : List.of(Scenario.DOS, Scenario.DDOS)) {
        SensorTraffic traffic =
            new SensorTraffic(
                new SensorTraffic.Settings(
                    scenario,
                    7,
                    System.currentTimeMillis(),
                    FLOOD_SCENARIO_SECONDS * 1_000L,
                    ORDINARY_PER_SECOND,
                    "eval" + scenario.name().toLowerCase(Locale.ROOT)),
                lists,
                texts);
        Pacer pacer = Pacer.perSecond(ORDINARY_PER_SECOND);
        for (SensorTraffic.Item item = traffic.next(); item != null; item = traffic.next()) {
          if (item.truth() != null) {
            truths.add(item.truth());
            continue;
          }
          if (item.paced()) {
            pacer.acquire();
          }
          producer.send(
              new ProducerRecord<>(
                  topic, item.event().id(), SensorEventCodec.encode(item.event())));
        }
        progress.printf(
            Locale.ROOT, "eval: sent the %s scenario%n", scenario.name().toLowerCase(Locale.ROOT));
      }
      producer.flush();
    }
    return truths;
  }

  /** Waits until every flood has an incident, or a minute after the last was sent. */
  private void awaitFloods(
      Database database, List<StreamingQuery> queries, List<AttackTruth> floods)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      failIfAnyFailed(queries);
      long found = 0;
      for (AttackTruth flood : floods) {
        if (floodIncident(database, flood).isPresent()) {
          found++;
        }
      }
      if (found == floods.size()) {
        return;
      }
      Thread.sleep(1_000);
    }
  }

  /**
   * The delay of the incident that matches a flood (its class and target, and its source for a
   * single-source flood): from the flood's onset to the event time of its first alert, the newest
   * event of the window when it first passed its threshold.
   */
  private static Optional<Double> floodIncident(Database database, AttackTruth flood) {
    boolean distributed = flood.attackClass() == AttackClass.DDOS;
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT extract(epoch FROM min(a.event_time)) * 1000 FROM incidents i"
                    + " JOIN alerts a ON a.incident_id = i.id"
                    + " WHERE i.class = ? AND i.target = ? AND i.source = ?"
                    + " AND i.updated_at >= to_timestamp(? / 1000.0)"
                    + " AND i.opened_at <= to_timestamp(? / 1000.0)")) {
      statement.setString(1, flood.attackClass().wire());
      statement.setString(2, flood.target());
      statement.setString(3, distributed ? "*" : flood.sources().get(0));
      statement.setLong(4, flood.onset());
      statement.setLong(5, flood.end());
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        double first = row.getDouble(1);
        return row.wasNull() ? Optional.empty() : Optional.of(Math.max(0, first - flood.onset()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the incidents: " + e.getMessage(), e);
    }
  }

  /** Per flood class: recall, precision among the incidents of the flood phase, delay. */
  private Map<String, String> scoreFloods(Database database, List<AttackTruth> floods, long from) {
    Map<String, String> json = new LinkedHashMap<>();
    for (AttackClass flood : List.of(AttackClass.DOS, AttackClass.DDOS)) {
      List<AttackTruth> truths = floods.stream().filter(f -> f.attackClass() == flood).toList();
      List<Double> delays = new ArrayList<>();
      for (AttackTruth truth : truths) {
        floodIncident(database, truth).ifPresent(delays::add);
      }
      long incidents =
          count(
              database,
              "SELECT count(*) FROM incidents WHERE class = '"
                  + flood.wire()
                  + "' AND updated_at >= to_timestamp("
                  + from
                  + " / 1000.0)");
      double recall = truths.isEmpty() ? 0.0 : (double) delays.size() / truths.size();
      double precision = incidents == 0 ? 1.0 : Math.min(1.0, (double) delays.size() / incidents);
      LatencyStats delay =
          LatencyStats.of(delays.stream().mapToDouble(Double::doubleValue).toArray());
      out.printf(
          Locale.ROOT,
          "%-12s %8d %9.3f %9.3f %9.0f ms %9.0f ms   (event time from onset to the first alert; %d incidents)%n",
          flood.wire(),
          truths.size(),
          precision,
          recall,
          delay.p50Ms(),
          delay.p99Ms(),
          incidents);
      json.put(
          flood.wire(),
          String.format(
              Locale.ROOT,
              "{\"precision\":%.4f,\"recall\":%.4f,\"delay_p50_ms\":%.0f,\"delay_p99_ms\":%.0f}",
              precision,
              recall,
              delay.p50Ms(),
              delay.p99Ms()));
    }
    return json;
  }

  /** The JSON line with the flood classes added to its classes. */
  static String withFloods(String json, Map<String, String> floods) {
    int classesEnd = json.indexOf("},\"benign_fp_rate\"");
    StringBuilder added = new StringBuilder();
    floods.forEach((name, value) -> added.append(",\"").append(name).append("\":").append(value));
    return json.substring(0, classesEnd) + added + json.substring(classesEnd);
  }

  /** Imports the real capture into the packets topic; returns how many packets it holds. */
  private long importRealCapture(SluiceConfig config, String topic) {
    if (!Files.isRegularFile(REAL_CAPTURE)) {
      progress.println(
          "eval: "
              + REAL_CAPTURE
              + " is missing, so no flood is evaluated on real traffic (apt-get install pathspider)");
      return 0;
    }
    int status =
        ImportMain.run(List.of("--topic", topic, REAL_CAPTURE.toString()), config, progress);
    if (status != 0) {
      throw new IllegalStateException(
          "importing " + REAL_CAPTURE + " failed with exit status " + status);
    }
    try (KafkaTopics topics = new KafkaTopics(config.requireKafka())) {
      return topics.endOffsetSum(topic);
    }
  }

  /** Waits until the traffic query has counted every packet of the real capture. */
  private void awaitPackets(Database database, List<StreamingQuery> queries, long packets)
      throws InterruptedException {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (count(
            database,
            "SELECT COALESCE(sum(events), 0) FROM traffic_minutes WHERE input = 'packets'")
        < packets) {
      failIfAnyFailed(queries);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the pipeline did not count the capture's packets within "
                + RUN_TIMEOUT.toMinutes()
                + " minutes");
      }
      Thread.sleep(1_000);
    }
  }

  /** Every alert the real capture raised: none is expected at the default thresholds. */
  private long reportRealCapture(Database database, String packetsTopic, long packets) {
    if (packets == 0) {
      return 0;
    }
    List<String> alerts = new ArrayList<>();
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT class, rule, excerpt FROM alerts WHERE topic = ? ORDER BY id"); ) {
      statement.setString(1, packetsTopic);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          alerts.add(rows.getString(1) + " " + rows.getString(2) + ": " + rows.getString(3));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the alerts: " + e.getMessage(), e);
    }
    out.printf(
        Locale.ROOT,
        "real capture %,d packets (pathspider real.pcap, one hour): %d flood alerts%n",
        packets,
        alerts.size());
    alerts.forEach(alert -> out.println("  " + alert));
    return alerts.size();
  }

  /** Sends every entry as an event, at {@link #RATE}; returns the events by id. */
  static Map<String, Sent> send(String kafka, String topic, List<Corpus> corpora)
      throws InterruptedException {
    Map<String, Sent> sent = new LinkedHashMap<>();
    Pacer pacer = Pacer.perSecond(RATE);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(ReliableProducer.perRecordProperties(kafka, "sluice-eval"))) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      int n = 0;
      for (Corpus corpus : corpora) {
        for (String entry : corpus.entries()) {
          String id = "eval-" + n;
          pacer.acquire();
          SensorEvent event =
              event(id, System.currentTimeMillis(), source(n), corpus.delivery().event(entry));
          acks.add(producer.send(new ProducerRecord<>(topic, id, SensorEventCodec.encode(event))));
          sent.put(id, new Sent(corpus, corpus.attackClass()));
          n++;
        }
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("an event was not sent: " + e.getCause(), e);
    }
    return sent;
  }

  /**
   * An alerting event to each partition: once both have their alerts, the real-time query has read
   * every event sent to the topic before them (it reads each partition in order).
   */
  static void sendMarkers(String kafka, String topic, String name) throws InterruptedException {
    try (KafkaProducer<String, byte[]> producer = ReliableProducer.create(kafka, "sluice-eval")) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int partition = 0; partition < PARTITIONS; partition++) {
        String id = "eval-" + name + "-" + partition;
        SensorEvent marker =
            event(
                id,
                System.currentTimeMillis(),
                "192.0.2.25" + partition,
                Delivery.QUERY_PARAMETER.event(MARKER));
        acks.add(
            producer.send(
                new ProducerRecord<>(topic, partition, id, SensorEventCodec.encode(marker))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a marker was not sent: " + e.getCause(), e);
    }
  }

  static SensorEvent event(String id, long ts, String source, HttpEvent request) {
    String body = request.payload();
    String path = request.path();
    long bytes =
        (path == null ? 0 : path.length())
            + (body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length);
    return new SensorEvent(
        id,
        ts,
        "eval",
        source,
        "shop.example",
        443,
        "https",
        request.method(),
        path,
        request.headers(),
        body,
        bytes);
  }

  /** A source address of its own for event {@code n}, in 10.0.0.0/8. */
  static String source(int n) {
    return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  private void awaitMarkers(Database database, List<StreamingQuery> queries, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    long started = System.nanoTime();
    long lastReport = 0;
    while (true) {
      failIfAnyFailed(queries);
      long markers =
          count(
              database,
              "SELECT count(DISTINCT event_id) FROM alerts WHERE event_id LIKE 'eval-"
                  + name
                  + "-%'");
      if (markers == PARTITIONS) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the pipeline did not inspect every event within "
                + RUN_TIMEOUT.toMinutes()
                + " minutes");
      }
      long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
      if (elapsed - lastReport >= 10) {
        lastReport = elapsed;
        progress.printf(
            Locale.ROOT,
            "eval: %,d alerts after %d s%n",
            count(database, "SELECT count(*) FROM alerts"),
            elapsed);
      }
      Thread.sleep(500);
    }
  }

  private static void failIfAnyFailed(List<StreamingQuery> queries) {
    for (StreamingQuery query : queries) {
      if (query.exception().isDefined()) {
        throw new IllegalStateException(
            "query " + query.name() + " failed: " + query.exception().get().getMessage());
      }
    }
  }

  private static long count(Database database, String sql) {
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the alerts: " + e.getMessage(), e);
    }
  }

  /** Per event: the classes it was alerted as, and its first alert's delay in milliseconds. */
  record Alerted(Set<String> classes, Map<String, Double> delayMs) {}

  static Map<String, Alerted> score(
      Database database, Map<String, Sent> sent, List<Corpus> corpora) {
    Map<String, Alerted> alerted = new HashMap<>();
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT event_id, class,"
                    + " extract(epoch FROM min(detected_at) - min(appended_at)) * 1000"
                    + " FROM alerts WHERE event_id IS NOT NULL GROUP BY event_id, class");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String id = rows.getString(1);
        if (!sent.containsKey(id)) {
          continue;
        }
        Alerted event =
            alerted.computeIfAbsent(id, k -> new Alerted(new LinkedHashSet<>(), new HashMap<>()));
        event.classes().add(rows.getString(2));
        event.delayMs().put(rows.getString(2), rows.getDouble(3));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the alerts: " + e.getMessage(), e);
    }
    return alerted;
  }

  /** Prints the table; returns the JSON line. */
  private String report(
      Map<String, Alerted> alerted, List<Corpus> corpora, Map<String, Sent> sent) {
    Set<String> classes = new LinkedHashSet<>();
    corpora.stream().filter(c -> !c.benign()).forEach(c -> classes.add(c.attackClass()));
    out.println("Sluice security evaluation: the pipeline end to end (Spark local[4])");
    out.printf(
        Locale.ROOT,
        "%-12s %8s %9s %9s %12s %12s%n",
        "class",
        "attacks",
        "precision",
        "recall",
        "delay p50",
        "delay p99");
    StringBuilder json = new StringBuilder("{\"classes\":{");
    boolean first = true;
    for (String attackClass : classes) {
      long attacks = 0;
      long found = 0;
      long flagged = 0;
      List<Double> delays = new ArrayList<>();
      for (Map.Entry<String, Sent> event : sent.entrySet()) {
        boolean isAttack = attackClass.equals(event.getValue().attackClass());
        Alerted result = alerted.get(event.getKey());
        boolean flaggedAs = result != null && result.classes().contains(attackClass);
        if (isAttack) {
          attacks++;
        }
        if (flaggedAs) {
          flagged++;
          if (isAttack) {
            found++;
            delays.add(result.delayMs().get(attackClass));
          }
        }
      }
      double precision = flagged == 0 ? 1.0 : (double) found / flagged;
      double recall = attacks == 0 ? 0.0 : (double) found / attacks;
      LatencyStats delay =
          LatencyStats.of(delays.stream().mapToDouble(Double::doubleValue).toArray());
      out.printf(
          Locale.ROOT,
          "%-12s %8d %9.3f %9.3f %9.0f ms %9.0f ms   (%d of %d found, %d events alerted as %s)%n",
          attackClass,
          attacks,
          precision,
          recall,
          delay.p50Ms(),
          delay.p99Ms(),
          found,
          attacks,
          flagged,
          attackClass);
      json.append(first ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "\"%s\":{\"precision\":%.4f,\"recall\":%.4f,\"delay_p50_ms\":%.0f,\"delay_p99_ms\":%.0f}",
                  attackClass,
                  precision,
                  recall,
                  delay.p50Ms(),
                  delay.p99Ms()));
      first = false;
    }
    long benign = 0;
    long falseAlarms = 0;
    for (Corpus corpus : corpora) {
      if (!corpus.benign()) {
        continue;
      }
      long events = 0;
      long alarms = 0;
      for (Map.Entry<String, Sent> event : sent.entrySet()) {
        if (event.getValue().corpus() == corpus) {
          events++;
          if (alerted.containsKey(event.getKey())) {
            alarms++;
          }
        }
      }
      out.printf(
          Locale.ROOT,
          "benign       %8d events, %d with an alert (%.2f%%): %s%n",
          events,
          alarms,
          events == 0 ? 0.0 : 100.0 * alarms / events,
          corpus.name());
      benign += events;
      falseAlarms += alarms;
    }
    double rate = benign == 0 ? 0.0 : (double) falseAlarms / benign;
    json.append(
        String.format(
            Locale.ROOT, "},\"benign_fp_rate\":%.5f,\"benign_events\":%d}", rate, benign));
    return json.toString();
  }
}
