package dev.sluice.server.pipeline;

import dev.sluice.core.config.Secret;
import dev.sluice.server.Problem;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * {@code Authorization: Bearer <token>}: required on every write endpoint, and what makes a reader
 * "authenticated" where an answer differs (the pipelines' failure text).
 */
public final class BearerAuth {
  private static final String PREFIX = "Bearer ";
  private static final Map<String, Object> CHALLENGE = Map.of();

  /** A hash of the token: comparing hashes takes the same time whatever the length of a guess. */
  private final byte[] tokenDigest;

  public BearerAuth(Secret token) {
    this.tokenDigest = sha256(token.reveal());
  }

  /** Throws a 401 problem unless the request carries the token. */
  public void check(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw unauthorized(
          ctx,
          "this server requires 'Authorization: Bearer <token>' on write requests "
              + "(SLUICE_API_TOKEN, or the token the server generated into $SLUICE_HOME/api-token)");
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw unauthorized(
          ctx,
          "the Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'");
    }
    byte[] given = sha256(header.substring(PREFIX.length()).strip());
    if (!MessageDigest.isEqual(given, tokenDigest)) {
      throw unauthorized(ctx, "the bearer token is wrong");
    }
  }

  /**
   * Whether a read may see what only the token's holders see: false without an Authorization
   * header; a 401 problem for a wrong one, since its sender means to be authenticated.
   */
  public boolean authenticated(Context ctx) {
    if (ctx.header("Authorization") == null) {
      return false;
    }
    check(ctx);
    return true;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static Problem unauthorized(Context ctx, String detail) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"sluice\"");
    return new Problem(401, detail, CHALLENGE);
  }
}
