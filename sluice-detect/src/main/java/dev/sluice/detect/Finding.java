package dev.sluice.detect;

import dev.sluice.core.records.StorableText;

/**
 * One attack found in one field of an event.
 *
 * @param kind the attack class, e.g. {@code sqli} (see {@link AttackKind})
 * @param rule the CRS rule id, e.g. {@code 942100}, or {@code libinjection:<fingerprint>}
 * @param field where it was found, e.g. {@code query:q}, {@code path}, {@code header:User-Agent},
 *     {@code form:text}, {@code payload}
 * @param excerpt the start of the field's (decoded) value, at most {@link #EXCERPT_CHARS} chars and
 *     "...", storable in every Sluice store
 */
public record Finding(String kind, String rule, String field, String excerpt) {
  public static final int EXCERPT_CHARS = 120;

  /** The excerpt of {@code value} a finding quotes: storable, cut at {@link #EXCERPT_CHARS}. */
  static String excerpt(String value) {
    return StorableText.abbreviate(StorableText.replaceUnstorable(value), EXCERPT_CHARS);
  }
}
