package dev.sluice.core.process;

/**
 * An error no retry can fix: a missing model, a checkpoint that does not belong to the database, a
 * table that does not have the columns the code writes. A process that meets one exits at once with
 * {@link ExitStatus#PERMANENT_FAILURE} and says what to do, instead of retrying; outages (database
 * or broker away) are everything else, and are retried.
 */
public class PermanentFailure extends RuntimeException {
  public PermanentFailure(String message) {
    super(message);
  }

  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
