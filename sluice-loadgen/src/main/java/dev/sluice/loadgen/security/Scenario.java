package dev.sluice.loadgen.security;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the sensor simulator sends besides ordinary traffic: attacks that start at fixed event-time
 * offsets from the start of the run, {@code firstMillis} and then every {@code periodMillis},
 * cycling through {@code attacks}.
 */
public enum Scenario {
  NORMAL("ordinary traffic only", List.of(), 0, 0),
  INJECTION(
      "ordinary traffic and an injection attempt every 2 s (sqli, xss, traversal, cmdi in turn)",
      List.of(AttackClass.SQLI, AttackClass.XSS, AttackClass.TRAVERSAL, AttackClass.CMDI),
      1_000,
      2_000),
  DOS(
      "ordinary traffic and a single-source flood every 30 s",
      List.of(AttackClass.DOS),
      5_000,
      30_000),
  DDOS(
      "ordinary traffic and a distributed flood every 30 s",
      List.of(AttackClass.DDOS),
      5_000,
      30_000),
  MIXED(
      "mostly ordinary traffic, an attack every 20 s (sqli, xss, dos, traversal, cmdi, ddos in"
          + " turn)",
      List.of(
          AttackClass.SQLI,
          AttackClass.XSS,
          AttackClass.DOS,
          AttackClass.TRAVERSAL,
          AttackClass.CMDI,
          AttackClass.DDOS),
      5_000,
      20_000);

  private final String description;
  private final List<AttackClass> attacks;
  private final long firstMillis;
  private final long periodMillis;

  Scenario(String description, List<AttackClass> attacks, long firstMillis, long periodMillis) {
    this.description = description;
    this.attacks = attacks;
    this.firstMillis = firstMillis;
    this.periodMillis = periodMillis;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String description() {
    return description;
  }

  /** The k-th attack of a run (from 0), or empty when the scenario has none. */
  Optional<AttackClass> attack(long k) {
    return attacks.isEmpty()
        ? Optional.empty()
        : Optional.of(attacks.get((int) (k % attacks.size())));
  }

  /** When the k-th attack starts, in milliseconds of event time after the run's start. */
  long onsetMillis(long k) {
    return firstMillis + k * periodMillis;
  }

  public static Optional<Scenario> fromWire(String name) {
    for (Scenario scenario : values()) {
      if (scenario.wire().equals(name)) {
        return Optional.of(scenario);
      }
    }
    return Optional.empty();
  }
}
