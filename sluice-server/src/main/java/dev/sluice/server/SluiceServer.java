package dev.sluice.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.config.Secret;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.server.live.BatchListener;
import dev.sluice.server.live.LiveHub;
import dev.sluice.server.live.LiveStream;
import dev.sluice.server.pipeline.BearerAuth;
import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.pipeline.Reads;
import dev.sluice.server.pipeline.RecordIngest;
import dev.sluice.server.pipeline.RedisReads;
import dev.sluice.server.pipeline.Routes;
import dev.sluice.server.pipeline.ServerContext;
import dev.sluice.server.pipeline.ServerPart;
import dev.sluice.store.Database;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sluice HTTP server: each registered pipeline's API routes, live updates and dashboard page
 * (its {@link ServerPart}), the platform's own endpoints (pipeline status, the live stream, health,
 * metrics) and the overview page. {@link ServerMain} runs it as a process; tests run it in theirs.
 */
public final class SluiceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);

  /** How long Kafka may take to acknowledge a review before the POST answers 503. */
  static final long DELIVERY_TIMEOUT_MILLIS = 8_000;

  /** The request's own time limit, a safety net above {@link #DELIVERY_TIMEOUT_MILLIS}. */
  static final long ACK_TIMEOUT_MILLIS = 10_000;

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
          + "form-action 'self'; frame-ancestors 'none'";

  /**
   * What the server needs.
   *
   * @param host the address to listen on (127.0.0.1 unless exposed on purpose)
   * @param port the port, or 0 for any free one
   * @param kafka bootstrap servers
   * @param database where the pipelines write their results
   * @param apiToken the bearer token write endpoints require
   * @param pipelines the pipelines to serve
   * @param topics the topic each input is read from, by input name, where it is not the input's own
   *     name (tests run on topics of their own)
   * @param policy what the server answers to and how much it holds for its clients
   * @param redis where the pipelines that keep state in Redis wrote it; empty when no Redis is
   *     configured, and then their reads answer 503
   */
  public record Options(
      String host,
      int port,
      String kafka,
      Database database,
      Secret apiToken,
      Pipelines pipelines,
      Map<String, String> topics,
      HttpPolicy policy,
      Optional<Redis> redis) {
    public Options {
      Objects.requireNonNull(apiToken, "writes always require a token");
      topics = Map.copyOf(topics);
      Objects.requireNonNull(redis, "redis: Optional.empty() when there is none");
    }

    /** Options without Redis. */
    public Options(
        String host,
        int port,
        String kafka,
        Database database,
        Secret apiToken,
        Pipelines pipelines,
        Map<String, String> topics,
        HttpPolicy policy) {
      this(host, port, kafka, database, apiToken, pipelines, topics, policy, Optional.empty());
    }

    public Options withRedis(Redis redis) {
      return new Options(
          host, port, kafka, database, apiToken, pipelines, topics, policy, Optional.of(redis));
    }

    String topic(InputTopic input) {
      return topics.getOrDefault(input.name(), input.name());
    }
  }

  /**
   * The settings of the server's edges, as {@link SluiceConfig} declares them.
   *
   * @param allowedHosts the Host headers answered ({@code SLUICE_ALLOWED_HOSTS})
   * @param maxSseClients live streams open at once ({@code SLUICE_MAX_SSE_CLIENTS})
   * @param idleTimeout how long a connection may make no progress ({@code
   *     SLUICE_HTTP_IDLE_TIMEOUT_SECONDS})
   * @param postIdWindow the most recent posted ids remembered per write endpoint ({@code
   *     SLUICE_POST_ID_WINDOW})
   */
  public record HttpPolicy(
      List<String> allowedHosts, int maxSseClients, Duration idleTimeout, int postIdWindow) {
    public HttpPolicy {
      allowedHosts = List.copyOf(allowedHosts);
    }

    public static HttpPolicy from(SluiceConfig config) {
      return new HttpPolicy(
          config.allowedHosts(),
          config.maxSseClients(),
          Duration.ofSeconds(config.httpIdleTimeoutSeconds()),
          config.postIdWindow());
    }

    /** Every setting at its default. */
    public static HttpPolicy defaults() {
      return from(SluiceConfig.from(Map.of()));
    }

    public HttpPolicy withMaxSseClients(int max) {
      return new HttpPolicy(allowedHosts, max, idleTimeout, postIdWindow);
    }

    public HttpPolicy withIdleTimeout(Duration timeout) {
      return new HttpPolicy(allowedHosts, maxSseClients, timeout, postIdWindow);
    }

    public HttpPolicy withPostIdWindow(int window) {
      return new HttpPolicy(allowedHosts, maxSseClients, idleTimeout, window);
    }
  }

  private final Javalin app;
  private final HikariDataSource pool;
  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;
  private final BatchListener listener;
  private final LiveHub hub;
  private final Metrics metrics;
  private final Optional<RedisPool> redis;
  private final List<AutoCloseable> partResources = new ArrayList<>();

  private SluiceServer(Options options) {
    this.metrics = new Metrics();
    this.pool = pool(options.database());
    // Opening a pool connects to nothing: the server starts while Redis is down, like the database.
    this.redis = options.redis().map(Redis::openPool);
    RedisReads redisReads = new RedisReads(redis);
    this.producer = new KafkaProducer<>(producerProperties(options.kafka()));
    this.admin = Admin.create(adminProperties(options.kafka()));
    BearerAuth auth = new BearerAuth(options.apiToken());
    Reads reads = new Reads(pool);
    Health health = new Health(admin, pool, auth);
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = RecordIngest.MAX_BODY_BYTES;
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/public";
                    files.location = Location.CLASSPATH;
                    files.headers = Map.of("Cache-Control", "no-cache");
                  });
              config.staticFiles.enableWebjars();
              config.jetty.addConnector(
                  (server, http) -> {
                    ServerConnector connector =
                        new ServerConnector(server, new HttpConnectionFactory(http));
                    connector.setHost(options.host());
                    connector.setPort(options.port());
                    // A client that stops reading (or never finishes its request) is dropped
                    // once its connection made no progress for this long: a pending write fails
                    // and frees what it held.
                    connector.setIdleTimeout(options.policy().idleTimeout().toMillis());
                    return connector;
                  });
              config.requestLogger.http(
                  (ctx, millis) ->
                      metrics.request(
                          ctx.method().name(),
                          route(ctx),
                          ctx.statusCode(),
                          (long) (millis * 1_000_000)));
            });
    HostAllowList hosts = new HostAllowList(options.policy().allowedHosts());
    // Headers first, so that even the answer to a foreign Host carries them.
    app.before(SluiceServer::securityHeaders);
    app.before(hosts::check);
    Routes routes = Routes.platform(app);
    Map<String, LiveFeed> feeds = new LinkedHashMap<>();
    List<Map<String, Object>> described = new ArrayList<>();
    for (PipelineDefinition pipeline : options.pipelines().all()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      Optional<ServerPart> part =
          pipeline.serverPart().map(name -> Pipelines.part(pipeline, name, ServerPart.class));
      part.ifPresent(
          p -> {
            p.start(
                new ServerContext(
                    pipeline,
                    routes.forPipeline(pipeline.name()),
                    reads,
                    producer,
                    auth,
                    metrics,
                    options::topic,
                    ACK_TIMEOUT_MILLIS,
                    options.policy().postIdWindow(),
                    redisReads,
                    partResources::add));
            p.liveFeed().ifPresent(feed -> feeds.put(pipeline.name(), feed));
          });
      String page = "/" + pipeline.name() + "/";
      boolean hasPage = SluiceServer.class.getResource("/public" + page + "index.html") != null;
      entry.put("name", pipeline.name());
      entry.put("description", pipeline.description());
      entry.put("queries", pipeline.queries());
      entry.put("page", hasPage ? page : null);
      entry.put("live", feeds.containsKey(pipeline.name()));
      part.ifPresent(p -> entry.putAll(p.info()));
      described.add(entry);
    }
    this.hub = new LiveHub(metrics);
    this.listener = new BatchListener(options.database(), hub, metrics, feeds);
    LiveStream stream = new LiveStream(hub, feeds.keySet(), auth, options.policy().maxSseClients());
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", "sluice");
    info.put("write_auth", "bearer");
    info.put("max_body_bytes", RecordIngest.MAX_BODY_BYTES);
    info.put("pipelines", described);
    byte[] infoJson = Json.bytes(info);

    routes
        .get(
            "/api/pipelines",
            ctx -> {
              boolean authenticated = auth.authenticated(ctx);
              List<PipelineStatuses.PipelineStatus> statuses = reads.query(PipelineStatuses::read);
              Reads.json(
                  ctx,
                  new LiveHub.PipelinesUpdate(
                      authenticated ? statuses : PipelineStatuses.withoutDetails(statuses),
                      Instant.now().toString()));
            })
        .get("/api/stream", stream::handle)
        .get("/api/info", ctx -> ctx.contentType("application/json").result(infoJson))
        .get("/healthz", health::live)
        .get("/readyz", health::ready)
        .get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape()));

    app.exception(Problem.class, (problem, ctx) -> problem.writeTo(ctx));
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            new Problem(
                    e.getStatus(),
                    switch (e.getStatus()) {
                      case 404 -> notFound(ctx);
                      case 405 -> notAllowed(ctx);
                      default -> e.getMessage();
                    })
                .writeTo(ctx));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          new Problem(500, "the server failed to answer: " + e.getClass().getSimpleName())
              .writeTo(ctx);
        });
    app.error(
        404,
        ctx -> {
          if (!isProblem(ctx)) {
            new Problem(404, notFound(ctx)).writeTo(ctx);
          }
        });
    app.error(
        405,
        ctx -> {
          if (!isProblem(ctx)) {
            new Problem(405, notAllowed(ctx)).writeTo(ctx);
          }
        });
  }

  /** Starts the server; the database and Kafka may still be down, the server copes. */
  public static SluiceServer start(Options options) {
    if (!isLoopback(options.host())
        && options.policy().allowedHosts().stream().allMatch(SluiceServer::isLoopback)) {
      LOG.warn(
          "listening on {} but answering only to {}: add the names clients use to"
              + " SLUICE_ALLOWED_HOSTS",
          options.host(),
          options.policy().allowedHosts());
    }
    SluiceServer server = new SluiceServer(options);
    try {
      server.listener.start();
      server.app.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return app.port();
  }

  public LiveHub hub() {
    return hub;
  }

  public Metrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    hub.closeAll();
    quietly(app::stop);
    quietly(listener::close);
    for (AutoCloseable resource : partResources) {
      quietly(
          () -> {
            try {
              resource.close();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    }
    redis.ifPresent(r -> quietly(r::close));
    quietly(() -> producer.close(Duration.ofSeconds(5)));
    quietly(() -> admin.close(Duration.ofSeconds(2)));
    quietly(pool::close);
  }

  static boolean isLoopback(String host) {
    String name = host.replaceFirst(":\\d+$", "");
    return name.equals("localhost")
        || name.startsWith("127.")
        || name.equals("[::1]")
        || name.equals("::1");
  }

  private static void quietly(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.warn("while stopping: {}", e.toString());
    }
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    // frame-ancestors 'none' for browsers that predate it.
    ctx.header("X-Frame-Options", "DENY");
  }

  private static String notFound(Context ctx) {
    return "there is no " + ctx.path() + " here; the API is described in sluice-server/README.md";
  }

  private static String notAllowed(Context ctx) {
    return ctx.method().name() + " is not allowed on " + ctx.path();
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(Problem.CONTENT_TYPE);
  }

  /**
   * The metrics label for a request: its route template; never the raw path, to bound the labels.
   */
  static String route(Context ctx) {
    try {
      String endpoint = ctx.endpointHandlerPath();
      if (endpoint.startsWith("/")) {
        return endpoint;
      }
    } catch (IllegalStateException e) {
      // no endpoint matched: a static file, or nothing
    }
    return ctx.statusCode() < 400 ? "static" : "unmatched";
  }

  static HikariDataSource pool(Database database) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sluice-server-db");
    config.setJdbcUrl(database.url());
    config.setUsername(database.user());
    if (database.password() != null) {
      config.setPassword(database.password().reveal());
    }
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(2);
    // Fail a read fast (503) while the database is down, and start even when it is.
    config.setConnectionTimeout(2000);
    config.setValidationTimeout(1000);
    config.setInitializationFailTimeout(-1);
    config.setReadOnly(true);
    config.addDataSourceProperty("ApplicationName", "sluice-server");
    return new HikariDataSource(config);
  }

  static Properties producerProperties(String kafka) {
    Properties props = ReliableProducer.perRecordProperties(kafka, "sluice-server");
    // A POST answers 503 when Kafka has not acknowledged within delivery.timeout.ms, or when it
    // cannot even find the topic's leader within max.block.ms.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT_MILLIS);
    return props;
  }

  static Properties adminProperties(String kafka) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-server-health");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    return props;
  }
}
