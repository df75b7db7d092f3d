package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostmasterTest {
  @TempDir Path dataDir;

  @Test
  void aPidFileNamingAnotherProgramIsRemovedAndThatProgramLeftAlone() throws Exception {
    long self = ProcessHandle.current().pid(); // a java process, not postgres
    Files.writeString(dataDir.resolve(Postmaster.PID_FILE), self + "\n" + dataDir + "\n");

    assertThat(Postmaster.runningPid(dataDir)).isEmpty();
    Postmaster.stopLeftover(dataDir);

    assertThat(dataDir.resolve(Postmaster.PID_FILE)).doesNotExist();
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  void aPidFileOfAnEndedProcessIsLeftForPostgres() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Files.writeString(dataDir.resolve(Postmaster.PID_FILE), ended.pid() + "\n");

    Postmaster.stopLeftover(dataDir);

    assertThat(Postmaster.pidInFile(dataDir)).contains(ended.pid());
  }

  @Test
  void noOrUnreadablePidFileMeansNoServer() throws Exception {
    assertThat(Postmaster.pidInFile(dataDir)).isEmpty();
    Files.writeString(dataDir.resolve(Postmaster.PID_FILE), "garbage\n");
    assertThat(Postmaster.pidInFile(dataDir)).isEmpty();
    Postmaster.stopLeftover(dataDir);
    assertThat(dataDir.resolve(Postmaster.PID_FILE)).exists();
  }
}
