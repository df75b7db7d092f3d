package dev.sluice.server.pipeline;

import dev.sluice.core.config.Secret;
import dev.sluice.server.Problem;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Guards the write endpoints with {@code Authorization: Bearer <token>} when a token is configured.
 */
public final class BearerAuth {
  private static final String PREFIX = "Bearer ";
  private static final Map<String, Object> CHALLENGE = Map.of();

  private final byte[] token;

  public BearerAuth(Optional<Secret> token) {
    this.token = token.map(t -> t.reveal().getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  public boolean required() {
    return token != null;
  }

  /** Throws a 401 problem unless the request carries the token (or none is configured). */
  public void check(Context ctx) {
    if (token == null) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw unauthorized(
          ctx,
          "this server requires 'Authorization: Bearer <token>' on write requests "
              + "(the token is set by SLUICE_API_TOKEN; './sluice demo' prints it as 'API token: ...')");
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw unauthorized(
          ctx,
          "the Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'");
    }
    byte[] given = header.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
    // Constant time, so the answer's timing does not reveal how much of a guess was right.
    if (!MessageDigest.isEqual(given, token)) {
      throw unauthorized(ctx, "the bearer token is wrong");
    }
  }

  private static Problem unauthorized(Context ctx, String detail) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"sluice\"");
    return new Problem(401, detail, CHALLENGE);
  }
}
