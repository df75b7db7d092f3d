package dev.sluice.loadgen;

/**
 * A dataset cannot be fetched or is not what it should be. The message says what is wrong and what
 * to do, for a user to read without a stack trace.
 */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
