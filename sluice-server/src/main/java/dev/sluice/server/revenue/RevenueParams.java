package dev.sluice.server.revenue;

import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.Reads;
import java.util.Map;

/**
 * The query parameters of the revenue endpoints, each checked before Redis is asked; a bad one is a
 * 400 problem naming the parameter, what it must be and what was given.
 */
final class RevenueParams {
  private RevenueParams() {}

  /**
   * An id, by the codec's own rules (a string of 1 to 200 characters without control characters; an
   * integer's decimal digits name the same id as the integer): the codec itself checks it, so the
   * API never refuses an id the pipeline stores, nor looks up one it would quarantine.
   */
  static String id(String text) {
    if (text == null) {
      throw new Problem(400, "id is required, e.g. ?id=acct-00001", Map.of("parameter", "id"));
    }
    var probe = JsonRecords.newObject();
    probe.put("id", text);
    probe.put("revenue", 0);
    probe.put("revenue_counter", 0);
    probe.put("timestamp", 0);
    RevenueCodec.Decoded decoded = RevenueCodec.decode(probe);
    if (!decoded.ok()) {
      throw new Problem(
          400,
          decoded.reason() + " (given '" + Reads.abbreviate(text) + "')",
          Map.of("parameter", "id"));
    }
    return decoded.record().id();
  }

  static int limit(String name, String text, int defaultLimit, int max) {
    try {
      return Reads.limit(text, defaultLimit, max);
    } catch (Problem p) {
      throw new Problem(
          p.status(), p.detail().replaceFirst("^limit", name), Map.of("parameter", name));
    }
  }
}
