package dev.sluice.server.support;

import dev.sluice.core.config.Secret;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.server.SluiceServer;
import dev.sluice.store.Database;
import dev.sluice.store.redis.Redis;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real Sluice server in the test JVM, on a free port, against the shared embedded platform. Each
 * instance gets its own PostgreSQL schema (migrated by the real migrations), so the rows one test
 * writes never show up in another's answers.
 */
public final class TestServer implements AutoCloseable {
  private static int schemas;

  private final SluiceServer server;
  private final Database database;
  private final String schema;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestServer(SluiceServer server, Database database, String schema, String token) {
    this.server = server;
    this.database = database;
    this.schema = schema;
    this.token = token;
  }

  /**
   * A server on a fresh schema of the shared platform's database, requiring {@code token} on
   * writes, or a random one (see {@link #token()}).
   */
  public static TestServer start(Optional<String> token) {
    return start(token, SluiceServer.HttpPolicy.defaults());
  }

  /** A server on a fresh schema with its own settings of the edges. */
  public static TestServer start(Optional<String> token, SluiceServer.HttpPolicy policy) {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Database database = freshSchema(platform);
    return start(token, platform.kafka(), database, ReviewsDefinition.TOPIC, policy);
  }

  /** A server with the given Kafka and database, which may be unreachable on purpose. */
  public static TestServer start(Optional<String> token, String kafka, Database database) {
    return start(token, kafka, database, ReviewsDefinition.TOPIC);
  }

  /** A server producing reviews to a topic of its own. */
  public static TestServer start(
      Optional<String> token, String kafka, Database database, String topic) {
    return start(token, kafka, database, topic, SluiceServer.HttpPolicy.defaults());
  }

  public static TestServer start(
      Optional<String> token,
      String kafka,
      Database database,
      String topic,
      SluiceServer.HttpPolicy policy) {
    String required = token.orElseGet(() -> "test-" + UUID.randomUUID());
    SluiceServer server =
        SluiceServer.start(
            new SluiceServer.Options(
                "127.0.0.1",
                0,
                kafka,
                database,
                new Secret(required),
                Pipelines.registered(),
                Map.of(ReviewsDefinition.TOPIC, topic),
                policy));
    return new TestServer(server, database, schemaOf(database.url()), required);
  }

  /**
   * A server on a fresh schema whose pipelines read Redis at {@code redis} (the revenue page and
   * API).
   */
  public static TestServer startWithRedis(Redis redis) {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Database database = freshSchema(platform);
    String required = "test-" + UUID.randomUUID();
    SluiceServer server =
        SluiceServer.start(
            new SluiceServer.Options(
                    "127.0.0.1",
                    0,
                    platform.kafka(),
                    database,
                    new Secret(required),
                    Pipelines.registered(),
                    Map.of(),
                    SluiceServer.HttpPolicy.defaults())
                .withRedis(redis));
    return new TestServer(server, database, schemaOf(database.url()), required);
  }

  /** A new, migrated schema in the platform's database: the URL sets it as the search path. */
  public static Database freshSchema(EmbeddedPlatform platform) {
    String schema;
    synchronized (TestServer.class) {
      schema = "test_" + ProcessHandle.current().pid() + "_" + (++schemas);
    }
    try (Connection c = DriverManager.getConnection(platform.dbUrl(), platform.dbUser(), null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema, e);
    }
    Database database =
        new Database(platform.dbUrl() + "?currentSchema=" + schema, platform.dbUser(), null);
    database.migrate();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(ReviewsDefinition.TOPIC, 4);
    }
    return database;
  }

  private static String schemaOf(String url) {
    int at = url.indexOf("currentSchema=");
    return at < 0 ? "public" : url.substring(at + "currentSchema=".length());
  }

  public SluiceServer server() {
    return server;
  }

  /** The token the server requires on writes. */
  public String token() {
    return token;
  }

  public Database database() {
    return database;
  }

  public String schema() {
    return schema;
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  public HttpClient http() {
    return http;
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(15)).GET().build());
  }

  public HttpResponse<String> postJson(String path, String json, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JDBC connection to this server's schema, for writing test rows as the pipeline would. */
  public Connection jdbc() throws SQLException {
    return database.connect();
  }

  @Override
  public void close() {
    server.close();
  }
}
