package dev.sluice.bench;

/**
 * A run produced numbers it cannot vouch for (lost or doubled records, results that disagree): it
 * prints no result.
 */
public final class InvalidRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRunException(String message) {
    super(message);
  }
}
