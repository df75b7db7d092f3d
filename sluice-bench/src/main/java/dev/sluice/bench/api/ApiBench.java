package dev.sluice.bench.api;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API benchmark behind {@code ./sluice bench api}: starts the Sluice server as its own process
 * against the running platform ({@code SLUICE_KAFKA}, {@code SLUICE_DB_URL}) and measures, on
 * 127.0.0.1, with every phase bounded in time and in requests:
 *
 * <ol>
 *   <li>the plain-Java baseline ({@link PlainIngestServer}, its own process): the same posts from
 *       the same client, each produced as it is and acknowledged by Kafka before the 202;
 *   <li>{@code POST /api/reviews} from 64 keep-alive connections (closed loop; each review ~600
 *       bytes with an id of its own, so the server takes its idempotent path; acknowledged by Kafka
 *       with {@code acks=all} before the 202);
 *   <li>{@code GET /api/words/top?limit=100} from the same number of connections;
 *   <li>10,000 concurrent {@code /api/stream} clients while the benchmark sends {@code NOTIFY
 *       sluice_batches} (as a pipeline does after each batch): the delay from each NOTIFY to each
 *       client's receipt of the update, and whether every client got every update.
 * </ol>
 *
 * <p>Run (the launcher provides the platform):
 *
 * <pre>{@code
 * ./sluice bench api     # defaults: --warmup 10 --seconds 10 --connections 64 --sse-clients 10000 --sse-events 20
 * }</pre>
 *
 * <p>It prints a summary (with the CPU the server and the client used, to show how the cores were
 * shared), then as its last line one JSON object, for example (2 cores, shared with other work):
 *
 * <pre>{@code
 * {"post_rps":10219,"post_p50_ms":4.73,"post_p99_ms":25.15,"baseline_post_rps":10350,
 *  "baseline_post_p99_ms":25.34,"post_vs_baseline":0.987,"top_rps":4369,"top_p99_ms":52.24,
 *  "sse_clients":10000,"sse_p99_ms":321.2,"server_rss_mb":658.1}
 * }</pre>
 *
 * <p>Give this JVM about 2 GB ({@code -Xmx2g}, as the launcher does): it holds the latency samples
 * and 10,000 streams.
 *
 * <p>The reviews it posts stay in the {@code reviews} topic (a running pipeline processes them);
 * the NOTIFYs name the pipeline {@code bench} and write nothing. Exit status 0 when it ran, 1 when
 * the server failed, 2 for a bad flag or setting.
 */
public final class ApiBench {
  static final Flag<Integer> SECONDS =
      Flag.of("--seconds", Parser.intBetween(1, 300), "10", "measured seconds of each HTTP phase");
  static final Flag<Integer> WARMUP =
      Flag.of(
          "--warmup",
          Parser.intBetween(0, 120),
          "10",
          "seconds of load before each HTTP phase is measured (the JIT compiles meanwhile)");
  static final Flag<Integer> CONNECTIONS =
      Flag.of(
          "--connections", Parser.intBetween(1, 1024), "64", "concurrent keep-alive connections");
  static final Flag<Integer> MAX_REQUESTS =
      Flag.of(
          "--max-requests",
          Parser.intBetween(1, 10_000_000),
          "1000000",
          "upper bound of measured requests per phase");
  static final Flag<Integer> SSE_CLIENTS =
      Flag.of("--sse-clients", Parser.intBetween(1, 10_000), "10000", "concurrent event streams");
  static final Flag<Integer> SSE_EVENTS =
      Flag.of(
          "--sse-events",
          Parser.intBetween(1, 1000),
          "20",
          "batch notifications sent, 500 ms apart");
  static final List<Flag<?>> FLAGS =
      List.of(SECONDS, WARMUP, CONNECTIONS, MAX_REQUESTS, SSE_CLIENTS, SSE_EVENTS);

  private static final String HOST = "127.0.0.1";

  /** Where the plain-Java baseline produces, so its records reach no pipeline. */
  static final String BASELINE_TOPIC = "sluice-bench-baseline";

  private ApiBench() {}

  public static void main(String[] args) throws Exception {
    ParentWatch.exitWhenParentDies();
    SluiceConfig config;
    Flags flags;
    Database database;
    try {
      flags = Flags.parse(List.of(args), FLAGS);
      if (!flags.positional().isEmpty()) {
        throw new ConfigException(
            "unexpected argument "
                + flags.positional().get(0)
                + ": 'sluice bench api' takes only options");
      }
      requireOpenFiles(flags.get(SSE_CLIENTS), openFilesLimit());
      config = SluiceConfig.fromEnvironment();
      config.requireKafka();
      database = Database.from(config);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice bench api: " + problem));
      System.exit(2);
      return;
    }
    System.exit(run(config, database, flags));
  }

  /**
   * Each stream is a socket in this process and one in the server's (which inherits this limit),
   * beside the files a JVM keeps open anyway; without enough, streams would fail midway.
   */
  static void requireOpenFiles(int sseClients, long limit) {
    long needed = sseClients + 500L;
    if (limit >= 0 && limit < needed) {
      throw new ConfigException(
          "--sse-clients "
              + sseClients
              + " needs about "
              + needed
              + " open files, but this process may open "
              + limit
              + " (ulimit -n): raise the limit (e.g. ulimit -n "
              + Math.max(needed, 20_000)
              + ") or give --sse-clients "
              + Math.max(1, limit - 500));
    }
  }

  /** The soft limit of open files of this process, or -1 where {@code /proc} does not say. */
  static long openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  static int run(SluiceConfig config, Database database, Flags flags) throws Exception {
    String token = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
    Map<String, String> settings = new HashMap<>();
    settings.put("SLUICE_HTTP_PORT", Integer.toString(freePort()));
    settings.put("SLUICE_API_TOKEN", token);
    // The fan-out measures as many streams as asked, beyond the server's default cap.
    settings.put("SLUICE_MAX_SSE_CLIENTS", Integer.toString(flags.get(SSE_CLIENTS) + 10));
    Path logs = config.home().resolve("logs");
    Files.createDirectories(logs);
    Path log = logs.resolve("bench-server.log");
    Files.deleteIfExists(log);

    progress("starting the server (log: " + log + ")");
    try (ServerProcess server = ServerProcess.start(settings, log)) {
      int port = server.port();
      double idleRss = server.memoryMib("VmRSS");
      int connections = flags.get(CONNECTIONS);
      int seconds = flags.get(SECONDS);
      int warmup = flags.get(WARMUP);
      int maxRequests = flags.get(MAX_REQUESTS);

      HttpLoad.Requests posts = reviewPosts(port, token);
      progress(
          phaseStart(
              "baseline (plain Java: the JDK's HTTP server producing each body as it is)",
              connections,
              warmup,
              seconds));
      HttpLoad.Result baseline;
      CpuUse baselineCpu;
      try (KafkaTopics topics = new KafkaTopics(config.requireKafka());
          ServerProcess plain =
              ServerProcess.startBaseline(
                  Map.of("SLUICE_KAFKA", config.requireKafka(), "BASELINE_TOPIC", BASELINE_TOPIC),
                  logs.resolve("bench-baseline.log"))) {
        topics.ensure(BASELINE_TOPIC, topics.partitions(ReviewsDefinition.TOPIC));
        baselineCpu = new CpuUse(plain.pid());
        baseline =
            HttpLoad.run(HOST, plain.port(), connections, warmup, seconds, maxRequests, 202, posts);
        baselineCpu.stop();
      }

      progress(phaseStart("POST /api/reviews", connections, warmup, seconds));
      CpuUse postCpu = new CpuUse(server.pid());
      HttpLoad.Result post =
          HttpLoad.run(HOST, port, connections, warmup, seconds, maxRequests, 202, posts);
      postCpu.stop();

      progress(phaseStart("GET /api/words/top?limit=100", connections, warmup, seconds));
      byte[] top =
          ("GET /api/words/top?limit=100 HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      CpuUse topCpu = new CpuUse(server.pid());
      HttpLoad.Result words =
          HttpLoad.run(HOST, port, connections, warmup, seconds, maxRequests, 200, (c, i) -> top);
      topCpu.stop();

      int sseClients = flags.get(SSE_CLIENTS);
      int sseEvents = flags.get(SSE_EVENTS);
      progress(
          "GET /api/stream: " + sseClients + " streams, " + sseEvents + " batch notifications");
      SseFanout.Result sse;
      double sseRss;
      try (SseFanout fanout = new SseFanout(HOST, port, sseClients, sseEvents)) {
        int ready = fanout.awaitSnapshots(60_000);
        if (ready < sseClients) {
          progress(
              "only " + ready + " of " + sseClients + " streams got their snapshot within 60 s");
        }
        sse = fanout.run(database, 500, 10_000);
        sseRss = server.memoryMib("VmRSS");
      }
      double peakRss = server.memoryMib("VmHWM");
      if (!server.isAlive()) {
        System.err.println(
            "sluice bench api: the server died during the benchmark:\n" + ServerProcess.tail(log));
        return 1;
      }

      System.out.println(
          summary(post, baseline, words, sse, idleRss, sseRss, peakRss, connections));
      System.out.println(baselineCpu.describe("baseline"));
      System.out.println(postCpu.describe("POST"));
      System.out.println(topCpu.describe("GET top"));
      System.out.println(json(post, baseline, words, sse, peakRss));
      return 0;
    }
  }

  static String summary(
      HttpLoad.Result post,
      HttpLoad.Result baseline,
      HttpLoad.Result words,
      SseFanout.Result sse,
      double idleRss,
      double sseRss,
      double peakRss,
      int connections) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Sluice API benchmark (127.0.0.1, %d cores, %d keep-alive connections)%n",
            Runtime.getRuntime().availableProcessors(),
            connections));
    out.append(phase("POST /api/reviews", "acknowledged/s", post));
    out.append(phase("baseline POST (plain)", "acknowledged/s", baseline));
    out.append(
        String.format(
            Locale.ROOT,
            "  Sluice / baseline        %9.2f of the plain server's acknowledged POST/s%n",
            post.rps() / Math.max(1e-9, baseline.rps())));
    out.append(phase("GET /api/words/top", "requests/s", words));
    out.append(
        String.format(
            Locale.ROOT,
            "  SSE fan-out              %,d streams (%,d connected), %d updates of %,d bytes: %,d of %,d delivered,"
                + " delay p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            sse.clients(),
            sse.connected(),
            sse.events(),
            sse.eventBytes(),
            sse.received(),
            sse.expected(),
            sse.delays().percentileMillis(50),
            sse.delays().percentileMillis(99),
            sse.delays().percentileMillis(100)));
    out.append(
        String.format(
            Locale.ROOT,
            "  Server memory (RSS)      %.0f MiB idle, %.0f MiB with %,d streams, %.0f MiB peak%n",
            idleRss,
            sseRss,
            sse.connected(),
            peakRss));
    out.append(
        String.format(
            Locale.ROOT,
            "  Targets: POST >= 20,000/s %s, POST p99 <= 20 ms %s, every stream got every update %s, SSE p99 <= 1 s %s",
            mark(post.rps() >= 20_000),
            mark(post.latencies().percentileMillis(99) <= 20),
            mark(sse.received() == (long) sse.clients() * sse.events()),
            mark(sse.delays().percentileMillis(99) <= 1000)));
    return out.toString();
  }

  static String phaseStart(String name, int connections, int warmup, int seconds) {
    return name
        + ": "
        + connections
        + " connections, "
        + warmup
        + " s warm-up, "
        + seconds
        + " s measured";
  }

  /** One HTTP phase's line of the summary. */
  static String phase(String name, String unit, HttpLoad.Result result) {
    return String.format(
        Locale.ROOT,
        "  %-24s %,9.0f %-14s   p50 %6.2f ms   p99 %6.2f ms   (%,d ok, %,d failed in %.1f s)%s%n",
        name,
        result.rps(),
        unit,
        result.latencies().percentileMillis(50),
        result.latencies().percentileMillis(99),
        result.ok(),
        result.failed(),
        result.seconds(),
        failure(result));
  }

  static String json(
      HttpLoad.Result post,
      HttpLoad.Result baseline,
      HttpLoad.Result words,
      SseFanout.Result sse,
      double peakRss) {
    return String.format(
        Locale.ROOT,
        "{\"post_rps\":%.0f,\"post_p50_ms\":%.2f,\"post_p99_ms\":%.2f,\"baseline_post_rps\":%.0f,"
            + "\"baseline_post_p99_ms\":%.2f,\"post_vs_baseline\":%.3f,\"top_rps\":%.0f,\"top_p99_ms\":%.2f,"
            + "\"sse_clients\":%d,\"sse_p99_ms\":%.1f,\"server_rss_mb\":%.1f}",
        post.rps(),
        post.latencies().percentileMillis(50),
        post.latencies().percentileMillis(99),
        baseline.rps(),
        baseline.latencies().percentileMillis(99),
        post.rps() / Math.max(1e-9, baseline.rps()),
        words.rps(),
        words.latencies().percentileMillis(99),
        sse.connected(),
        sse.delays().percentileMillis(99),
        peakRss);
  }

  /**
   * CPU used by the server and by this client during a phase (warm-up included), so a reader can
   * see how the two cores were shared; the rest went to Kafka, PostgreSQL and anything else.
   */
  static final class CpuUse {
    private final long serverPid;
    private final long startNanos = System.nanoTime();
    private final double[] serverStart;
    private final double clientStart;
    private double wall;
    private double serverUser;
    private double serverSystem;
    private double client;

    CpuUse(long serverPid) {
      this.serverPid = serverPid;
      this.serverStart = ServerProcess.cpuSplit(serverPid);
      this.clientStart = ServerProcess.cpuSeconds(ProcessHandle.current().pid());
    }

    void stop() {
      wall = (System.nanoTime() - startNanos) / 1e9;
      double[] server = ServerProcess.cpuSplit(serverPid);
      serverUser = server[0] - serverStart[0];
      serverSystem = server[1] - serverStart[1];
      client = ServerProcess.cpuSeconds(ProcessHandle.current().pid()) - clientStart;
    }

    String describe(String phase) {
      int cores = Runtime.getRuntime().availableProcessors();
      return String.format(
          Locale.ROOT,
          "  CPU during %-8s server %.0f%% (user %.0f%%, system %.0f%%), benchmark client %.0f%%, of %d cores over %.1f s",
          phase,
          100 * (serverUser + serverSystem) / wall / cores,
          100 * serverUser / wall / cores,
          100 * serverSystem / wall / cores,
          100 * client / wall / cores,
          cores,
          wall);
    }
  }

  private static String failure(HttpLoad.Result result) {
    return result.firstFailure() == null ? "" : " first failure: " + result.firstFailure();
  }

  private static String mark(boolean met) {
    return met ? "met" : "NOT met";
  }

  /**
   * Review posts as a client that can retry sends them: each with an id of its own, so the server
   * takes its idempotent path (the id is remembered, and a retry would get the first answer). The
   * ids start with a tag of this run, so a second run's reviews are not duplicates of the first's.
   */
  static HttpLoad.Requests reviewPosts(int port, String token) {
    String[] openings = {
      "I went in expecting very little and came out genuinely moved.",
      "This is the kind of film that reminds you why you love the movies.",
      "Two hours I will never get back, and the popcorn was the highlight.",
      "A slow start, but the second half more than makes up for it.",
      "The trailer promised a thriller; what we got was a confused melodrama.",
      "Beautifully shot and wonderfully acted, if a little too long.",
      "The script feels like three different drafts stapled together.",
      "An honest, funny and warm story about a family that never gives up.",
    };
    String[] middles = {
      " The lead performance is quietly brilliant, and the supporting cast gives every scene weight."
          + " The camera lingers on faces instead of explosions, and the music never tells you what to feel.",
      " The dialogue is wooden, the villain is a cardboard cut-out, and every twist can be seen from a mile away."
          + " Even the effects, which must have cost a fortune, look unfinished in the final act.",
      " It takes its time to set up the characters, which pays off when the story finally turns."
          + " A few scenes drag, and one subplot goes nowhere, but the ending lands with real force.",
      " The editing is choppy and the sound mix buries half of the lines under a generic score."
          + " I kept checking my watch and wondering whether anyone had watched the final cut before release.",
    };
    String[] endings = {
      " Recommended without reservation.",
      " Skip it.",
      " Worth a watch on a rainy evening.",
      " I will be thinking about it for days.",
      " A disappointment from a director I usually admire.",
    };
    String tag = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    byte[] head =
        ("POST /api/reviews HTTP/1.1\r\nHost: "
                + HOST
                + ":"
                + port
                + "\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                + token
                + "\r\nContent-Length: ")
            .getBytes(StandardCharsets.US_ASCII);
    int n = openings.length * middles.length;
    String[] rests = new String[n];
    for (int i = 0; i < n; i++) {
      String text =
          openings[i % openings.length] + middles[i % middles.length] + endings[i % endings.length];
      rests[i] =
          "\",\"text\":\"" + text.replace("\"", "\\\"") + "\",\"score\":" + (1 + i % 5) + "}";
    }
    return (connection, sequence) -> {
      byte[] body =
          ("{\"id\":\""
                  + tag
                  + "-"
                  + connection
                  + "-"
                  + sequence
                  + rests[(int) ((connection + sequence) % n)])
              .getBytes(StandardCharsets.UTF_8);
      byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[head.length + length.length + body.length];
      System.arraycopy(head, 0, request, 0, head.length);
      System.arraycopy(length, 0, request, head.length, length.length);
      System.arraycopy(body, 0, request, head.length + length.length, body.length);
      return request;
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static void progress(String message) {
    System.err.println("bench api: " + message);
  }
}
