package dev.sluice.core.revenue;

import java.util.regex.Pattern;

/**
 * Where the revenue pipeline keeps its results in Redis, all under one namespace ({@value
 * #DEFAULT_NAMESPACE} unless a test or a benchmark picks its own). {@code docs/revenue.md} shows
 * the layout with examples; the Spark part writes it, the server reads it.
 *
 * <ul>
 *   <li>{@link #latest(String)}, a hash per id: the latest record ({@code id}, {@code numeric_id},
 *       {@code revenue}, {@code revenue_units}, {@code revenue_counter}, {@code timestamp}) and its
 *       {@code version} ({@link RevenueRecord#version()});
 *   <li>{@link #history(String)}, a sorted set per id: the newest {@value #HISTORY_LIMIT} distinct
 *       records of the id, each member its version, a space and its JSON, all with score 0 so that
 *       members sort by version;
 *   <li>{@link #totals()}, a hash: {@code ids} (ids seen) and {@code revenue_units} (the sum of the
 *       latest records' revenues, in ten-thousandths);
 *   <li>{@link #top()}, a sorted set: every id scored by its latest revenue, for the top ids;
 *   <li>{@link #minutes()}, a hash: per minute of event time (epoch milliseconds of its start), the
 *       minute's figures as JSON;
 *   <li>{@link #changes()}, a pub/sub channel: the id of each record that became an id's latest.
 * </ul>
 *
 * <p>The latest state, history, totals and top ids change together, in one Lua script per record:
 * they never disagree. A standalone Redis (or a primary) only: the script touches keys of several
 * ids, which Redis Cluster would put in different slots.
 */
public final class RevenueKeys {
  public static final String DEFAULT_NAMESPACE = "revenue";

  /** Distinct records kept per id for its history of changes. */
  public static final int HISTORY_LIMIT = 100;

  private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  private final String namespace;

  public RevenueKeys(String namespace) {
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "a Redis namespace is 1 to 63 of a-z 0-9 _ -, starting with a letter: '"
              + namespace
              + "'");
    }
    this.namespace = namespace;
  }

  public static RevenueKeys standard() {
    return new RevenueKeys(DEFAULT_NAMESPACE);
  }

  public String namespace() {
    return namespace;
  }

  public String latest(String id) {
    return namespace + ":latest:" + id;
  }

  public String history(String id) {
    return namespace + ":history:" + id;
  }

  public String totals() {
    return namespace + ":totals";
  }

  public String top() {
    return namespace + ":top";
  }

  public String minutes() {
    return namespace + ":minutes";
  }

  public String changes() {
    return namespace + ":changes";
  }
}
