package dev.sluice.cli;

import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.SluiceModules;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code ./sluice demo}: the embedded platform, the API server and dashboard, every registered
 * pipeline as the queries of one Spark application (restarted from their checkpoints if it dies of
 * something it may recover from, see {@link Supervised}) and each pipeline's producer, with a
 * status line per pipeline every few seconds. Ctrl-C stops everything, producers first.
 */
final class Demo {
  /**
   * 500 a second. With the four built-in pipelines on two cores, at 2,000 the reviews pipeline's
   * lag grew by about 2,000 records a second; at 500, over the demo's first eight minutes, no
   * pipeline's lag exceeded about 100 s of its records (load average 12 to 15: the machine, not a
   * pipeline, is the bound).
   */
  static final Flag<Integer> RATE =
      Flag.of(
          "--rate",
          Parser.intBetween(1, 1_000_000),
          "500",
          "records per second each pipeline's producer sends, unless the pipeline sets its own"
              + " rate (the demo prints each one's)");

  static final long STATUS_EVERY_MS = 5_000;
  static final long QUERIES_START_TIMEOUT_SECONDS = 180;

  private Demo() {}

  static int run(SluiceConfig config, SluiceModules modules, List<String> args) {
    Flags flags = Flags.parse(args, List.of(RATE));
    if (flags.helpRequested()) {
      System.out.print(Flags.usage("./sluice demo", List.of(RATE)));
      return 0;
    }
    int rate = flags.get(RATE);
    Commands commands = new Commands(config, modules);
    try (Session session = new Session()) {
      // Kafka and PostgreSQL start while the dataset and the model get ready.
      CompletableFuture<Platform> starting =
          CompletableFuture.supplyAsync(() -> session.add(Platform.resolve(config, modules)));
      commands.ensureDataset(session);
      commands.ensureModel(session);
      Platform platform = join(starting);
      Database database =
          new Database(
              platform.env().get(SluiceConfig.DB_URL.env()),
              platform.env().get(SluiceConfig.DB_USER.env()),
              config.dbPassword().orElse(null));
      database.migrate();

      Map<String, String> env = new HashMap<>(platform.env());
      env.put(SluiceConfig.HTTP_PORT.env(), Integer.toString(config.httpPort()));

      // The Spark application takes longest to start: it starts first, the server meanwhile.
      List<PipelineDefinition> pipelines = new ArrayList<>();
      for (PipelineDefinition pipeline : Pipelines.registered().all()) {
        Optional<String> missing = pipeline.unmetRequirement();
        if (missing.isPresent()) {
          Console.warn("the " + pipeline.name() + " pipeline is left out: " + missing.get());
        } else {
          pipelines.add(pipeline);
        }
      }
      List<String> names = pipelines.stream().map(PipelineDefinition::name).toList();
      Timestamp launched = databaseNow(database);
      Supervised application =
          session.add(
              new Supervised(
                  "Spark application (" + String.join(", ", names) + ")",
                  () -> background(commands, Modules.PIPELINE, names, env, config, "pipelines"),
                  session));
      application.start();
      startServer(commands, session, env, config);
      System.out.println("API token: " + tokenSource(config));
      awaitQueriesStarted(database, pipelines, launched, session, config, application);

      List<ChildProcess> producers = new ArrayList<>();
      List<String> rates = new ArrayList<>();
      for (PipelineDefinition pipeline : pipelines) {
        if (pipeline.producer().isEmpty()) {
          continue;
        }
        int pipelineRate = pipeline.demoRate().orElse(rate);
        rates.add(String.format(Locale.ROOT, "%s at %,d/s", pipeline.name(), pipelineRate));
        List<String> producerArgs =
            new ArrayList<>(List.of(pipeline.name(), "--rate", Integer.toString(pipelineRate)));
        producerArgs.addAll(pipeline.demoProducerArgs());
        producers.add(
            session.add(
                background(
                        commands,
                        Modules.PRODUCE,
                        producerArgs,
                        env,
                        config,
                        "produce-" + pipeline.name())
                    .start(),
                15));
      }
      Console.info(
          "streaming into "
              + String.join(", ", rates)
              + " (records per second); logs in "
              + config.home().resolve("logs")
              + "; Ctrl-C stops");
      showStatus(session, database, env, pipelines, producers);
      return 0;
    }
  }

  /**
   * Waits until every query of the application has completed its first trigger (its status row has
   * a batch id, written after {@code launched} by the database's clock; Spark reports an idle
   * trigger within 10 s), so that the producers start when the pipelines read: the first batch,
   * which pays for the JVM's warm-up, has nothing to do, the next ones are small, and the dashboard
   * is live from the first record instead of beginning with a backlog of everything sent while
   * Spark started. Bounded: a slow start only delays the producers by {@link
   * #QUERIES_START_TIMEOUT_SECONDS}.
   */
  private static void awaitQueriesStarted(
      Database database,
      List<PipelineDefinition> pipelines,
      Timestamp launched,
      Session session,
      SluiceConfig config,
      Supervised application) {
    List<String> queries = pipelines.stream().flatMap(p -> p.queries().stream()).toList();
    long deadline = System.nanoTime() + QUERIES_START_TIMEOUT_SECONDS * 1_000_000_000L;
    // An application left stopped (it failed permanently) starts no query: do not wait for it.
    while (!session.isStopping()
        && !application.stopped().isDone()
        && System.nanoTime() < deadline) {
      try (Connection c = database.connect();
          PreparedStatement started =
              c.prepareStatement(
                  "SELECT count(*) FROM pipelines WHERE name = ANY (?) AND state = 'running'"
                      + " AND last_batch_id IS NOT NULL AND updated_at >= ?")) {
        started.setArray(1, c.createArrayOf("text", queries.toArray()));
        started.setTimestamp(2, launched);
        try (ResultSet count = started.executeQuery()) {
          if (count.next() && count.getLong(1) == queries.size()) {
            return;
          }
        }
      } catch (SQLException e) {
        // the database is ours and up; a failed look is retried below
      }
      sleep(250);
    }
    if (!session.isStopping() && !application.stopped().isDone()) {
      Console.info(
          "the Spark application has not started its queries after "
              + QUERIES_START_TIMEOUT_SECONDS
              + " s; starting the producers anyway (see "
              + Platform.logFile(config, "pipelines")
              + ")");
    }
  }

  private static Timestamp databaseNow(Database database) {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet now = s.executeQuery("SELECT now()")) {
      now.next();
      return now.getTimestamp(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the database's clock: " + e.getMessage(), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void startServer(
      Commands commands, Session session, Map<String, String> env, SluiceConfig config) {
    ProcessBuilder builder = ChildProcess.detached(commands.java(Modules.SERVER, List.of()));
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
    builder.redirectError(
        ProcessBuilder.Redirect.appendTo(Platform.logFile(config, "server").toFile()));
    ChildProcess server = session.add(ChildProcess.of("server", builder).start(), 15);
    List<String> lines =
        server.readUntil(
            line -> line.startsWith("Dashboard:"),
            120,
            "the API server did not start; see " + Platform.logFile(config, "server"));
    System.out.println(lines.get(lines.size() - 1));
  }

  private static ChildProcess background(
      Commands commands,
      Modules module,
      List<String> args,
      Map<String, String> env,
      SluiceConfig config,
      String log) {
    return ChildProcess.loggingTo(
        log,
        ChildProcess.detached(commands.java(module, args)),
        env,
        Platform.logFile(config, log));
  }

  private static void showStatus(
      Session session,
      Database database,
      Map<String, String> env,
      List<PipelineDefinition> pipelines,
      List<ChildProcess> producers) {
    Set<ChildProcess> reported = new HashSet<>();
    try (KafkaTopics topics = new KafkaTopics(env.get(SluiceConfig.KAFKA.env()))) {
      while (!session.isStopping()) {
        Thread.sleep(STATUS_EVERY_MS);
        for (PipelineDefinition pipeline : pipelines) {
          try {
            System.out.println(StatusLine.read(pipeline, database, topics).line());
          } catch (java.sql.SQLException | RuntimeException e) {
            Console.info(pipeline.name() + ": status unavailable for now: " + e.getMessage());
          }
        }
        for (ChildProcess producer : producers) {
          if (!producer.isAlive() && !session.isStopping() && reported.add(producer)) {
            Console.error(
                producer.name()
                    + " stopped (exit code "
                    + producer.process().exitValue()
                    + "); see its log");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Platform join(CompletableFuture<Platform> starting) {
    try {
      return starting.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Where the post form's token is: never the token itself, which would then sit in terminals,
   * scroll-back and CI logs.
   */
  static String tokenSource(SluiceConfig config) {
    return config.apiToken().isPresent()
        ? "the value of SLUICE_API_TOKEN (not printed)"
        : "in "
            + config.apiTokenFile().toAbsolutePath()
            + " (generated for this run, readable only by you)";
  }
}
