package dev.sluice.core;

/** The Kafka topics of the built-in pipelines. */
public final class Topics {
  /** Review events (JSON, UTF-8), keyed by review id. */
  public static final String REVIEWS = "reviews";

  private Topics() {}
}
