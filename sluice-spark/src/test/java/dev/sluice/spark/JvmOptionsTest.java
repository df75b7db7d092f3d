package dev.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The JVM options Sluice starts Spark processes with (the build's {@code spark.jvm.options}) are
 * the ones Spark's own launcher passes, so an upgrade of Spark cannot leave them behind.
 */
class JvmOptionsTest {
  @Test
  void areTheOptionsOfSparksOwnLauncher() throws IOException {
    try (InputStream in = JvmOptionsTest.class.getResourceAsStream("/dev/sluice/jvm-options.txt")) {
      assertThat(in).as("jvm-options.txt on the classpath").isNotNull();
      String ours = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(ours.split("\\s+")).containsExactly(JavaModuleOptions.defaultModuleOptionArray());
    }
  }
}
