package dev.sluice.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One platform per {@code SLUICE_HOME}. The operating system releases the lock when the process
 * dies, however it dies, so a killed instance never blocks the next start.
 */
final class InstanceLock {
  private static FileChannel heldChannel;

  private InstanceLock() {}

  static synchronized void acquire(Path home, Path envFile) throws IOException {
    FileChannel channel =
        FileChannel.open(
            home.resolve("infra.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      String owner = InfraEnvFile.pid(envFile).map(pid -> " (pid " + pid + ")").orElse("");
      throw new StartupException(
          "the embedded platform is already running for SLUICE_HOME="
              + home
              + owner
              + ": use it, stop it, or set SLUICE_HOME to another directory");
    }
    heldChannel = channel;
  }
}
