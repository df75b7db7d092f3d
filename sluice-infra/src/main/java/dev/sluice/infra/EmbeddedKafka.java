package dev.sluice.infra;

import dev.sluice.core.files.Directories;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.DynamicVoters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Kafka node in KRaft combined mode (broker and controller in this JVM), with its storage
 * formatted once as a standalone controller and reused on every later start.
 */
final class EmbeddedKafka {
  static final int NODE_ID = 1;
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** Kafka's own logger name for the storage tool, so format output lands in kafka.log. */
  private static final Logger formatLog = LoggerFactory.getLogger("kafka.tools.StorageTool");

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  EmbeddedKafka(Path dataDir, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** The broker configuration; package-private so a test can check Kafka accepts it. */
  static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
    String host = InfraPlan.LOOPBACK;
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + host
            + ":"
            + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("log.dirs", dataDir.toString());
    // One node: every internal topic must be satisfiable by a single replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    // The 50-partition defaults cost seconds on the first consumer group on two cores and buy
    // nothing
    // on one node.
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.num.partitions", "4");
    // The broker only starts serving after heartbeats report it caught up and unfenced, so the 2 s
    // default interval is paid on every start. The session is longer than Kafka's 9 s default, not
    // shorter: on two busy cores (a pipeline, PostgreSQL and the broker together) a missed
    // heartbeat
    // fences the broker, its partitions lose their leader and producers time out. The price is paid
    // only after a kill -9, when the old registration blocks the new one until it expires.
    props.put("broker.heartbeat.interval.ms", "500");
    props.put("broker.session.timeout.ms", "15000");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    // Fewer threads than a production broker: this node shares two cores with Spark and the server.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "4");
    props.put("background.threads", "4");
    props.put("num.recovery.threads.per.data.dir", "2");
    return props;
  }

  static boolean isFormatted(Path dataDir) {
    return Files.isRegularFile(dataDir.resolve("meta.properties"));
  }

  /** Formats the storage on first start; a directory without meta.properties never held data. */
  void formatIfNeeded() throws Exception {
    if (isFormatted(dataDir)) {
      return;
    }
    if (Files.isDirectory(dataDir)) {
      Directories.deleteRecursively(dataDir);
    }
    Files.createDirectories(dataDir);
    String clusterId = Uuid.randomUuid().toString();
    // A standalone controller: the initial voter set is this node alone, as `kafka-storage format
    // --standalone` writes it.
    DynamicVoters voters =
        DynamicVoters.parse(
            NODE_ID + "@" + InfraPlan.LOOPBACK + ":" + controllerPort + ":" + Uuid.randomUuid());
    try (PrintStream toLog =
        new PrintStream(new LogLines(formatLog), true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(toLog)
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(dataDir.toString())
          .addDirectory(dataDir.toString())
          .setHasDynamicQuorum(true)
          .setInitialControllers(voters)
          .run();
    }
    log.info("Formatted Kafka storage {} (cluster id {})", dataDir, clusterId);
  }

  /** Starts broker and controller; returns once the broker is registered and unfenced. */
  void start() {
    KafkaConfig config =
        KafkaConfig.fromProps(brokerProperties(dataDir, port, controllerPort), false);
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
  }

  /** Blocks until the server stops, for whatever reason. */
  void awaitShutdown() {
    server.awaitShutdown();
  }

  void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  /** Sends what the formatter prints to the log, line by line, instead of stdout. */
  private static final class LogLines extends OutputStream {
    private final Logger target;
    private final StringBuilder line = new StringBuilder();

    LogLines(Logger target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      if (b == '\n') {
        flushLine();
      } else {
        line.append((char) b);
      }
    }

    @Override
    public void close() {
      flushLine();
    }

    private void flushLine() {
      if (line.length() > 0) {
        target.info(line.toString());
        line.setLength(0);
      }
    }
  }
}
