package dev.sluice.spark.security;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.ExitStatus;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.loadgen.packets.ImportMain;
import dev.sluice.spark.SparkSessions;
import dev.sluice.spark.stream.DecodeOrQuarantine;
import dev.sluice.store.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Traffic per minute over a directory of captures, in one bounded run, for cron or a Kubernetes
 * CronJob: {@code ./sluice batch traffic DIR}.
 *
 * <pre>{@code
 * ./sluice batch traffic /var/spool/captures
 * ./sluice batch traffic /var/spool/captures --zone Europe/Berlin   # zone of text captures
 * }</pre>
 *
 * <p>The directory's capture files (pcap, pcapng, tcpdump text; hidden files left out) go through
 * {@code ./sluice import} into a topic of the run's own, then the streaming query's own code reads
 * it as a bounded batch: the same decoder ({@link TrafficDecoding}), the same stages ({@link
 * Traffic#perMinute}; a batch has no late records) and the same upserts, under origin {@code
 * batch:<DIR>} so the streaming rows are never touched. A packet in two files (a capture copied
 * under another name) counts once. Each run computes every minute of every file again and upserts
 * it: a second run over the same files writes the same rows and changes nothing; a new file adds
 * its packets to the minutes it falls in. A file removed from the directory leaves its minutes.
 *
 * <p>Exit status 0 when the tables were written; 1 when the run failed; 2 for bad arguments;
 * import's own statuses (3 to 6) when a file could not be read.
 */
public final class TrafficBatch {
  static final String SYNOPSIS = "sluice batch traffic DIR [--zone ZONE]";
  static final int EXIT_FAILED = 1;

  private TrafficBatch() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    System.exit(run(List.of(args), SluiceConfig.fromEnvironment(), System.err));
  }

  static int run(List<String> args, SluiceConfig config, PrintStream err) {
    Path dir;
    List<String> importFlags = new ArrayList<>();
    try {
      if (args.isEmpty() || args.get(0).startsWith("-")) {
        throw new ConfigException("expected the directory of captures: " + SYNOPSIS);
      }
      dir = Path.of(args.get(0)).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new ConfigException(args.get(0) + " is not a directory: " + SYNOPSIS);
      }
      List<String> rest = args.subList(1, args.size());
      if (!rest.isEmpty() && !(rest.size() == 2 && rest.get(0).equals("--zone"))) {
        throw new ConfigException("unexpected arguments " + rest + ": " + SYNOPSIS);
      }
      importFlags.addAll(rest);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> err.println("sluice batch traffic: " + problem));
      return ExitStatus.BAD_CONFIGURATION;
    }
    List<Path> files = captures(dir);
    if (files.isEmpty()) {
      err.println("sluice batch traffic: no capture files in " + dir + "; nothing written");
      return 0;
    }
    long started = System.nanoTime();
    String kafka = config.requireKafka();
    String topic = "traffic-batch-" + digest(dir.toString());
    String origin = "batch:" + dir;
    Database database = Database.from(config);
    database.migrate(List.of(Pipelines.registered().require(SecurityDefinition.NAME)));
    try {
      // A fresh topic holds exactly this run's packets.
      deleteTopic(kafka, topic);
      try (KafkaTopics topics = new KafkaTopics(kafka)) {
        topics.ensure(topic, 2);
      }
      List<String> importArgs = new ArrayList<>(List.of("--topic", topic));
      importArgs.addAll(importFlags);
      files.forEach(file -> importArgs.add(file.toString()));
      int imported = ImportMain.run(importArgs, config, err);
      if (imported != 0) {
        return imported;
      }
      SparkSession spark =
          SparkSessions.forPipelines(
              "sluice-batch-traffic", config.sparkMaster(), config.shufflePartitions());
      try {
        Dataset<Row> records =
            spark
                .read()
                .format("kafka")
                .option("kafka.bootstrap.servers", kafka)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("endingOffsets", "latest")
                .load();
        Dataset<Row> decoded =
            DecodeOrQuarantine.decode(records, new TrafficDecoding("", topic))
                .where(DecodeOrQuarantine.isDecoded())
                .dropDuplicates("id");
        Dataset<Row> minutes = Traffic.perMinute(List.of(decoded)).cache();
        Traffic.MinuteSink.write(minutes, database, origin);
        Row totals = minutes.agg(sum("events"), count("*")).first();
        System.out.printf(
            Locale.ROOT,
            "batch traffic: %,d packets of %,d files in %,d minute rows under origin '%s' in %.1f s%n",
            totals.isNullAt(0) ? 0 : totals.getLong(0),
            files.size(),
            totals.getLong(1),
            origin,
            (System.nanoTime() - started) / 1e9);
        minutes.unpersist();
      } finally {
        spark.stop();
      }
      return 0;
    } catch (RuntimeException e) {
      err.println("sluice batch traffic: failed: " + e.getMessage());
      return EXIT_FAILED;
    } finally {
      deleteTopic(kafka, topic);
    }
  }

  /** The directory's regular files, hidden ones (a capture still being written) left out. */
  static List<Path> captures(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTopic(String kafka, String topic) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    try (Admin admin = Admin.create(props)) {
      if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        // Deletion completes in the background: wait until the name is free again.
        for (int i = 0;
            i < 60 && admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
            i++) {
          Thread.sleep(500);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deleting topic " + topic, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot delete topic " + topic + ": " + e.getMessage(), e);
    }
  }
}
