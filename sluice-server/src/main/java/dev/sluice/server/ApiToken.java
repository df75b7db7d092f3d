package dev.sluice.server;

import dev.sluice.core.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer token the write endpoints require. Writes are never open: without a configured token
 * the server generates one at start and keeps it in a file only its user can read, so whoever can
 * post is whoever can read that file.
 *
 * @param token the token
 * @param source where it comes from, for people: the variable's name, or the file's path; never the
 *     token itself
 */
public record ApiToken(Secret token, String source) {
  /** 256 random bits, more than the 128 a guess must beat. */
  static final int GENERATED_BYTES = 32;

  /** The configured token, or a fresh one written to {@code file}. */
  public static ApiToken configuredOrGenerated(Optional<Secret> configured, Path file) {
    if (configured.isPresent()) {
      return new ApiToken(configured.get(), "SLUICE_API_TOKEN");
    }
    Secret generated = generate();
    writeOwnerOnly(file, generated);
    return new ApiToken(generated, file.toAbsolutePath().toString());
  }

  static Secret generate() {
    byte[] bytes = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(bytes);
    return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /**
   * Writes the token to a new file created with mode 0600, then moves it over {@code file}: the
   * token never sits in a file others may read, not even for a moment, and a reader never sees a
   * half-written one.
   */
  static void writeOwnerOnly(Path file, Secret token) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path temporary = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid());
      Files.deleteIfExists(temporary);
      try {
        Files.createFile(
            temporary,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(temporary);
        java.io.File plain = temporary.toFile();
        boolean restricted =
            plain.setReadable(false, false)
                && plain.setWritable(false, false)
                && plain.setReadable(true, true)
                && plain.setWritable(true, true);
        if (!restricted) {
          Files.delete(temporary);
          throw new IOException("cannot make " + temporary + " readable only by its owner");
        }
      }
      Files.writeString(temporary, token.reveal() + "\n", StandardCharsets.US_ASCII);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the generated API token to " + file + ": " + e.getMessage(), e);
    }
  }

  /** The token as read back from its file, for tools and tests that run as the same user. */
  public static Secret read(Path file) throws IOException {
    return new Secret(Files.readString(file, StandardCharsets.US_ASCII).strip());
  }
}
