package dev.sluice.loadgen.security;

import java.util.Locale;

/**
 * The attacks the simulator scripts, named as the security pipeline's alerts and incidents name
 * them.
 */
public enum AttackClass {
  SQLI,
  XSS,
  CMDI,
  TRAVERSAL,
  DOS,
  DDOS;

  /** The name on the wire: {@code sqli}, {@code xss}, ... */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether its events carry a payload, as opposed to a flood of ordinary requests. */
  public boolean injection() {
    return this != DOS && this != DDOS;
  }
}
