package dev.sluice.server;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer in the {@code application/problem+json} format of RFC 9457: the status, its
 * title, and a {@code detail} that tells the caller what was wrong and what to do.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final String CONTENT_TYPE = "application/problem+json";

  private final int status;
  private final Map<String, Object> extra;

  public Problem(int status, String detail) {
    this(status, detail, Map.of());
  }

  public Problem(int status, String detail, Map<String, Object> extra) {
    super(detail, null, false, false);
    this.status = status;
    this.extra = extra;
  }

  public int status() {
    return status;
  }

  public String detail() {
    return getMessage();
  }

  /** Writes this problem as the response. */
  public void writeTo(Context ctx) {
    ctx.status(status).contentType(CONTENT_TYPE).result(body());
  }

  public byte[] body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title(status));
    body.put("status", status);
    body.put("detail", getMessage());
    body.putAll(extra);
    return Json.bytes(body);
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 421 -> "Misdirected Request";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }
}
