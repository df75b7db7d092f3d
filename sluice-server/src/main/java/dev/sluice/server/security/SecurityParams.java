package dev.sluice.server.security;

import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.Reads;
import dev.sluice.server.security.SecurityQueries.Range;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The query parameters of the security endpoints. Each is checked before any query runs; a bad one
 * is a 400 problem whose detail names the parameter, what it must be and what was given, and whose
 * {@code parameter} field names it for programs.
 */
final class SecurityParams {
  private SecurityParams() {}

  /** Alert classes are the detectors' words: {@code sqli}, {@code ddos}, and any added later. */
  static final Pattern CLASS = Pattern.compile("[a-z][a-z0-9_-]{0,39}");

  /** The inputs traffic rows come from. */
  static final String[] INPUTS = {"packets", "sensor-events"};

  /** {@code stream}, or {@code batch:<DIR>} for a bounded run's rows; no control characters. */
  static final Pattern ORIGIN = Pattern.compile("stream|batch:[^\\p{Cntrl}]{1,1000}");

  static final long MAX_OFFSET = 100_000;

  /** A range by default: the last hour, to the next whole minute. */
  static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  /** The most a per-minute series may span: 1,440 points per series. */
  static final Duration MAX_SERIES_RANGE = Duration.ofDays(1);

  /** The most a ranking or a mix may span. */
  static final Duration MAX_RANGE = Duration.ofDays(31);

  /** An optional class filter, or null for every class. */
  static String className(String text) {
    if (text == null) {
      return null;
    }
    if (!CLASS.matcher(text).matches()) {
      throw bad(
          "class",
          "an alert class: lower-case letters, digits, '-' or '_', starting with a letter, at most"
              + " 40 (sqli, xss, cmdi, traversal, dos, ddos, synflood, …)",
          text);
    }
    return text;
  }

  static int limit(String text, int defaultLimit, int max) {
    try {
      return Reads.limit(text, defaultLimit, max);
    } catch (Problem p) {
      throw new Problem(p.status(), p.detail(), Map.of("parameter", "limit"));
    }
  }

  static int offset(String text) {
    if (text == null) {
      return 0;
    }
    try {
      long offset = Long.parseLong(text.strip());
      if (offset >= 0 && offset <= MAX_OFFSET) {
        return (int) offset;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad("offset", "a whole number from 0 to " + MAX_OFFSET, text);
  }

  /** An incident id from the path. */
  static long id(String text) {
    try {
      long id = Long.parseLong(text);
      if (id >= 1) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad("id", "an incident id, a whole number from 1", text);
  }

  /**
   * {@code from} and {@code to}, ISO-8601 times with a zone; by default the hour up to the next
   * whole minute, and one of them alone sets the other an hour away.
   */
  static Range range(String fromText, String toText, Duration max, Instant now) {
    Instant from = fromText == null ? null : instant("from", fromText);
    Instant to = toText == null ? null : instant("to", toText);
    if (to == null) {
      to =
          from == null
              ? now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1))
              : from.plus(DEFAULT_RANGE);
    }
    if (from == null) {
      from = to.minus(DEFAULT_RANGE);
    }
    if (!from.isBefore(to)) {
      throw bad("to", "a time after from (" + from + ")", toText == null ? to.toString() : toText);
    }
    if (Duration.between(from, to).compareTo(max) > 0) {
      throw bad(
          "to",
          "at most " + describe(max) + " after from (" + from + ")",
          toText == null ? to.toString() : toText);
    }
    return new Range(from, to);
  }

  private static Instant instant(String name, String text) {
    try {
      return OffsetDateTime.parse(text.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw bad(name, "an ISO-8601 time with its zone, e.g. 2026-11-30T10:15:00Z", text);
    }
  }

  /** One of a fixed set of words, or the default when absent. */
  static <E extends Enum<E>> E choice(String name, String text, Class<E> type, E defaultValue) {
    if (text == null) {
      return defaultValue;
    }
    for (E value : type.getEnumConstants()) {
      if (value.name().toLowerCase(Locale.ROOT).equals(text)) {
        return value;
      }
    }
    throw bad(
        name,
        "one of "
            + Arrays.stream(type.getEnumConstants())
                .map(v -> v.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")),
        text);
  }

  static String input(String text) {
    if (text == null) {
      return null;
    }
    for (String input : INPUTS) {
      if (input.equals(text)) {
        return text;
      }
    }
    throw bad("input", "one of " + String.join(", ", INPUTS), text);
  }

  static String origin(String text) {
    if (text == null) {
      return "stream";
    }
    if (!ORIGIN.matcher(text).matches()) {
      throw bad(
          "origin",
          "stream (the streaming query's rows) or batch:<DIR> (those of './sluice batch traffic"
              + " DIR')",
          text);
    }
    return text;
  }

  private static String describe(Duration duration) {
    return duration.toHours() <= 48 ? duration.toHours() + " hours" : duration.toDays() + " days";
  }

  static Problem bad(String parameter, String expected, String given) {
    return new Problem(
        400,
        parameter + " must be " + expected + ", got '" + Reads.abbreviate(given) + "'",
        Map.of("parameter", parameter));
  }
}
