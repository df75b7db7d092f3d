package dev.sluice.core.process;

/**
 * The exit statuses of every Sluice process, so that a supervisor knows what a restart can fix:
 * {@link #BAD_CONFIGURATION} and {@link #PERMANENT_FAILURE} need a person, anything else (a crash,
 * a signal) may recover.
 */
public final class ExitStatus {
  public static final int OK = 0;

  /** Bad flags or settings, each reported on one line. */
  public static final int BAD_CONFIGURATION = 2;

  /** A {@link PermanentFailure}. */
  public static final int PERMANENT_FAILURE = 3;

  private ExitStatus() {}
}
