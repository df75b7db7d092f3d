package dev.sluice.infra;

/**
 * The platform cannot start for a reason the user can fix (a port in use, another instance
 * running); the message is one line saying what to change, printed without a stack trace.
 */
final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message) {
    super(message);
  }

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
