package dev.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisRequirementTest {
  @TempDir Path dir;

  private Path executable(Path folder) throws IOException {
    Files.createDirectories(folder);
    Path server = folder.resolve("redis-server");
    Files.writeString(server, "#!/bin/sh\n");
    Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwx------"));
    return server;
  }

  @Test
  void withoutRedisServerOnThePathItSaysWhichPackageToInstall() {
    assertThat(RedisRequirement.unmet(Map.of("PATH", dir.toString())))
        .contains(
            "redis-server is not on the PATH: install Debian package redis-server"
                + " (apt-get install redis-server)");
    assertThat(RedisRequirement.findServer(Map.of())).isEmpty();
  }

  @Test
  void findsTheFirstExecutableRedisServerOnThePath() throws IOException {
    Path notExecutable = dir.resolve("a").resolve("redis-server");
    Files.createDirectories(notExecutable.getParent());
    Files.writeString(notExecutable, "");
    Path server = executable(dir.resolve("b"));
    executable(dir.resolve("c"));
    String path = String.join(":", dir.resolve("a").toString(), "", dir.resolve("b").toString());
    assertThat(RedisRequirement.findServer(Map.of("PATH", path + ":" + dir.resolve("c"))))
        .contains(server);
    assertThat(RedisRequirement.unmet(Map.of("PATH", path))).isEmpty();
  }

  @Test
  void anExternalRedisNeedsNoServerHere() {
    assertThat(RedisRequirement.unmet(Map.of("PATH", "", "SLUICE_REDIS", "redis://cache:6379")))
        .isEmpty();
  }

  @Test
  void theEmbeddedRedisTurnedOffWithoutAnExternalOneIsUnmet() throws IOException {
    executable(dir);
    assertThat(
            RedisRequirement.unmet(
                Map.of("PATH", dir.toString(), "SLUICE_EMBEDDED_REDIS", "false")))
        .hasValueSatisfying(why -> assertThat(why).contains("SLUICE_EMBEDDED_REDIS=false"));
    assertThat(
            RedisRequirement.unmet(Map.of("PATH", dir.toString(), "SLUICE_EMBEDDED_REDIS", "true")))
        .isEmpty();
  }
}
