package dev.sluice.loadgen.calls;

import dev.sluice.core.calls.PoliceCall;
import dev.sluice.core.calls.PoliceCallCodec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Random;

/**
 * Police calls that look like San Francisco's: the dataset's common call types, the radio codes'
 * dispositions with a small share of codes outside them, street addresses and intersections of the
 * city, and event time that advances by random gaps (a Poisson process at {@code callsPerHour}), so
 * hourly windows fill and close. The same seed and run id give the same calls.
 *
 * <p>The shares are illustrative: the types are among the dataset's most frequent, in roughly the
 * order analyses of it list them, but the weights are this generator's choice, not measured.
 */
public final class CallGenerator {
  /** Call types and their weights. */
  static final Weighted CALL_TYPES =
      new Weighted(
          new String[] {
            "Passing Call",
            "Traffic Stop",
            "Suspicious Person",
            "Homeless Complaint",
            "Audible Alarm",
            "Well Being Check",
            "Suspicious Vehicle",
            "Fight No Weapon",
            "Trespasser",
            "Noise Nuisance",
            "Mentally Disturbed",
            "Petty Theft",
            "Auto Boost / Strip",
            "Vandalism",
            "Person Down",
            "Traffic Collision",
            "Burglary",
            "Assault / Battery",
            "Drugs",
            "Fire"
          },
          new double[] {
            15, 11, 7, 6, 5.5, 4.5, 4, 3, 3, 3, 2.5, 2.5, 2, 2, 2, 2, 1.5, 1.5, 1, 0.5
          });

  /** The published radio codes, with shares a day of calls might plausibly have. */
  static final Weighted DISPOSITIONS =
      new Weighted(
          new String[] {
            "HAN", "ADV", "GOA", "UTL", "REP", "ND", "CIT", "ARR", "CAN", "NOM", "ABA", "ADM",
            "NCR", "PAS", "22", "SFD", "VAS", "CSA", "CRM"
          },
          new double[] {30, 12, 12, 8, 8, 5, 5, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 0.5, 0.3});

  /** Codes outside the published table, as a feed with newer codes would send. */
  static final String[] UNKNOWN_DISPOSITIONS = {"INC", "SRV", "Q9"};

  static final String[] STREETS = {
    "Market St",
    "Mission St",
    "Geary Bl",
    "Van Ness Av",
    "Divisadero St",
    "Valencia St",
    "16th St",
    "24th St",
    "Polk St",
    "Larkin St",
    "Hyde St",
    "Turk St",
    "Eddy St",
    "Ellis St",
    "O'farrell St",
    "Howard St",
    "Folsom St",
    "Bryant St",
    "Stockton St",
    "Grant Av",
    "Columbus Av",
    "Haight St",
    "Fillmore St",
    "Lombard St",
    "Irving St",
    "Judah St",
    "Taraval St",
    "3rd St",
    "Ocean Av",
    "Geneva Av"
  };

  /**
   * @param seed the same seed gives the same calls
   * @param runId part of every {@code crime_id}, so two runs' calls never share an id (the pipeline
   *     counts a {@code crime_id} once)
   * @param startMillis the first call's event time
   * @param callsPerHour the density of event time: calls per hour on average
   * @param unknownShare the share of calls whose disposition is outside the radio codes
   */
  public record Settings(
      long seed, String runId, long startMillis, double callsPerHour, double unknownShare) {}

  private final Settings settings;
  private final Random random;
  private long eventMillis;
  private long made;

  public CallGenerator(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.eventMillis = settings.startMillis();
  }

  public PoliceCall next() {
    // Exponential gaps: calls arrive as a Poisson process, in event-time order.
    double meanGapMillis = 3_600_000 / settings.callsPerHour();
    eventMillis += Math.round(-Math.log(1 - random.nextDouble()) * meanGapMillis);
    String id = settings.runId() + "-" + made++;
    String type = CALL_TYPES.pick(random);
    String disposition =
        random.nextDouble() < settings.unknownShare()
            ? UNKNOWN_DISPOSITIONS[random.nextInt(UNKNOWN_DISPOSITIONS.length)]
            : DISPOSITIONS.pick(random);
    boolean intersection = random.nextInt(3) == 0;
    String street = STREETS[random.nextInt(STREETS.length)];
    String address =
        intersection
            ? street + "/" + STREETS[random.nextInt(STREETS.length)]
            : (random.nextInt(30) * 100) + " Block Of " + street;
    String wallTime = PoliceCallCodec.callDateTime(eventMillis);
    LocalDateTime local = LocalDateTime.parse(wallTime);
    String day = local.toLocalDate() + "T00:00:00.000";
    return new PoliceCall(
        id,
        type,
        day,
        day,
        day,
        String.format(java.util.Locale.ROOT, "%02d:%02d", local.getHour(), local.getMinute()),
        wallTime,
        disposition,
        address,
        "San Francisco",
        "CA",
        "1",
        intersection ? "Intersection" : "Premise Address",
        "");
  }

  /** The event time of the last call made. */
  Instant eventTime() {
    return Instant.ofEpochMilli(eventMillis);
  }

  /** Values picked by weight. */
  record Weighted(String[] values, double[] cumulative) {
    Weighted {
      if (values.length != cumulative.length || values.length == 0) {
        throw new IllegalArgumentException("a weight per value");
      }
      double[] sums = new double[cumulative.length];
      double sum = 0;
      for (int i = 0; i < cumulative.length; i++) {
        sum += cumulative[i];
        sums[i] = sum;
      }
      cumulative = sums;
    }

    String pick(Random random) {
      double at = random.nextDouble() * cumulative[cumulative.length - 1];
      for (int i = 0; i < cumulative.length; i++) {
        if (at < cumulative[i]) {
          return values[i];
        }
      }
      return values[values.length - 1];
    }

    /** A value's share of the whole. */
    double share(String value) {
      for (int i = 0; i < values.length; i++) {
        if (values[i].equals(value)) {
          return (cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]))
              / cumulative[cumulative.length - 1];
        }
      }
      return 0;
    }
  }
}
