package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.Secret;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {
  @Test
  void configurationKeepsEveryWriteInAnAppendOnlyFileOnLoopback() {
    assertThat(
            EmbeddedRedis.configuration(
                Path.of("/data/sluice home/redis"), 16379, Optional.empty()))
        .contains(
            "bind 127.0.0.1",
            "port 16379",
            "protected-mode yes",
            "daemonize no",
            "dir \"/data/sluice home/redis\"",
            "pidfile \"/data/sluice home/redis/redis-server.pid\"",
            "appendonly yes",
            "appendfsync everysec",
            "save \"\"")
        .noneMatch(line -> line.startsWith("requirepass"));
  }

  @Test
  void aPasswordGoesIntoTheFileAsOneQuotedArgument() {
    String password = "pä\"ss \\word\n#not a comment";
    assertThat(EmbeddedRedis.configuration(Path.of("/r"), 1, Optional.of(new Secret(password))))
        .contains("requirepass \"p\\xc3\\xa4\\\"ss \\\\word\\x0a#not a comment\"");
  }

  @Test
  void quotingEscapesWhatRedisWouldReadAsSyntax() {
    assertThat(EmbeddedRedis.quote("plain")).isEqualTo("\"plain\"");
    assertThat(EmbeddedRedis.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(EmbeddedRedis.quote("\t")).isEqualTo("\"\\x09\"");
    assertThat(EmbeddedRedis.quote("")).isEqualTo("\"\"");
  }
}
