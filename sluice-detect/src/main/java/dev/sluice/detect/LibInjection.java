package dev.sluice.detect;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * libinjection's SQL injection and XSS tests, as exported by Debian's {@code libmodsecurity3}.
 * Stateless and thread-safe: each call works on its own buffers.
 */
public final class LibInjection {
  /** libinjection's fingerprint buffer is {@code char[8]}: up to 5 tokens and a NUL. */
  private static final int FINGERPRINT_BYTES = 8;

  private LibInjection() {}

  /** The SQL injection fingerprint of {@code text} (e.g. {@code s&sos}), or empty for none. */
  public static Optional<String> sqli(String text) {
    NativeEngines.requireLibrary();
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    byte[] fingerprint = new byte[FINGERPRINT_BYTES];
    if (ModSecurityLibrary.libinjection_sqli(input, input.length, fingerprint) != 1) {
      return Optional.empty();
    }
    int length = 0;
    while (length < fingerprint.length && fingerprint[length] != 0) {
      length++;
    }
    return Optional.of(new String(fingerprint, 0, length, StandardCharsets.US_ASCII));
  }

  /** Whether libinjection finds cross-site scripting in {@code text}. */
  public static boolean xss(String text) {
    NativeEngines.requireLibrary();
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    return ModSecurityLibrary.libinjection_xss(input, input.length) == 1;
  }
}
