package dev.sluice.core.config;

import java.util.Objects;

/**
 * A password or token: never printed, never logged. Use {@link #reveal()} only where it is sent.
 */
public final class Secret implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "********";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
