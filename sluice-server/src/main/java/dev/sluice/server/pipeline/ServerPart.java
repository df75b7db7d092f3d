package dev.sluice.server.pipeline;

import java.util.Map;
import java.util.Optional;

/**
 * A pipeline's part of the server: its API routes, its live updates and what its dashboard page
 * needs to know. Named by {@link dev.sluice.core.pipeline.PipelineDefinition#serverPart()}, made
 * once per server with its public no-argument constructor.
 *
 * <p>The dashboard page is a convention, not a declaration: the static files under {@code
 * public/<pipeline>/} on the classpath, with {@code index.html} as the page the navigation links
 * to. Pages use {@code /js/common.js} for the navigation, the live stream and safe rendering.
 */
public interface ServerPart {
  /** Registers the pipeline's routes; called once, before the server listens. */
  void start(ServerContext context);

  /** The pipeline's live updates on {@code /api/stream?pipeline=<name>}, if it has any. */
  default Optional<LiveFeed> liveFeed() {
    return Optional.empty();
  }

  /**
   * Facts a page needs before its first request, served in the pipeline's entry of {@code
   * /api/info}, e.g. the limits of what it accepts. Values are serialized as JSON.
   */
  default Map<String, Object> info() {
    return Map.of();
  }
}
