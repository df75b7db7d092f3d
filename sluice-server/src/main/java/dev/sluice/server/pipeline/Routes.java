package dev.sluice.server.pipeline;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's routes, with who registered each: a route taken twice, by the platform or by two
 * pipelines, stops the server at start naming both, rather than one silently shadowing the other.
 * Pipelines' routes live under {@code /api/}; new pipelines keep theirs under {@code /api/<name>}.
 */
public final class Routes {
  private static final String PLATFORM = "the platform";

  private final Javalin app;
  private final Map<String, String> owners;
  private final String owner;

  private Routes(Javalin app, Map<String, String> owners, String owner) {
    this.app = app;
    this.owners = owners;
    this.owner = owner;
  }

  /** The routes of the platform itself. */
  public static Routes platform(Javalin app) {
    return new Routes(app, new HashMap<>(), PLATFORM);
  }

  /** The same table of routes, for a pipeline to add its own to. */
  public Routes forPipeline(String pipeline) {
    return new Routes(app, owners, "pipeline " + pipeline);
  }

  public Routes get(String path, Handler handler) {
    return add(HandlerType.GET, path, handler);
  }

  public Routes post(String path, Handler handler) {
    return add(HandlerType.POST, path, handler);
  }

  private Routes add(HandlerType type, String path, Handler handler) {
    if (!owner.equals(PLATFORM) && !path.startsWith("/api/")) {
      throw new IllegalStateException(
          owner + " registers " + type + " " + path + ": pipeline routes live under /api/");
    }
    String key = type + " " + path;
    String previous = owners.putIfAbsent(key, owner);
    if (previous != null) {
      throw new IllegalStateException(
          owner + " registers " + key + ", which " + previous + " already serves");
    }
    app.addHttpHandler(type, path, handler);
    return this;
  }
}
