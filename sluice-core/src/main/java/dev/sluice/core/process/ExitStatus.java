package dev.sluice.core.process;

/**
 * The exit statuses of every Sluice process, so that a supervisor knows what a restart can fix:
 * {@link #BAD_CONFIGURATION} and {@link #PERMANENT_FAILURE} need a person, anything else (a crash,
 * a signal) may recover.
 */
public final class ExitStatus {
  public static final int OK = 0;

  /** Failed in a way a restart may fix. */
  public static final int FAILED = 1;

  /** Bad flags or settings, each reported on one line. */
  public static final int BAD_CONFIGURATION = 2;

  /** A {@link PermanentFailure}. */
  public static final int PERMANENT_FAILURE = 3;

  private ExitStatus() {}

  /** Whether restarting a process that exited with {@code status} can help. */
  public static boolean mayRecover(int status) {
    return status != BAD_CONFIGURATION && status != PERMANENT_FAILURE;
  }

  /** What {@code status} means, for a supervisor's message. */
  public static String describe(int status) {
    return switch (status) {
      case OK -> "finished";
      case BAD_CONFIGURATION -> "bad flags or settings";
      case PERMANENT_FAILURE -> "a permanent error";
      default -> status > 128 ? "killed by signal " + (status - 128) : "failed";
    };
  }
}
