package dev.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterJarsTest {

  @Test
  void shipsSluiceTheKafkaConnectorAndTheDriverButNotSparkItself() {
    assertThat(ClusterJars.isShipped("sluice-core-0.1.0-SNAPSHOT.jar")).isTrue();
    assertThat(ClusterJars.isShipped("spark-sql-kafka-0-10_2.13-4.0.0.jar")).isTrue();
    assertThat(ClusterJars.isShipped("kafka-clients-3.9.0.jar")).isTrue();
    assertThat(ClusterJars.isShipped("postgresql-42.7.8.jar")).isTrue();
    assertThat(ClusterJars.isShipped("spark-sql_2.13-4.0.0.jar")).isFalse();
    assertThat(ClusterJars.isShipped("scala-library-2.13.16.jar")).isFalse();
    assertThat(ClusterJars.isShipped("sluice-notes.txt")).isFalse();
  }

  @Test
  void packsAClassesDirectoryIntoAJar(@TempDir Path dir) throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes/dev/sluice"));
    Files.writeString(classes.resolve("A.class"), "bytes");
    Path driver = Files.writeString(dir.resolve("postgresql-42.7.8.jar"), "");
    Path spark = Files.writeString(dir.resolve("spark-core_2.13-4.0.0.jar"), "");
    String jars =
        ClusterJars.forClasspath(
            String.join(
                File.pathSeparator,
                dir.resolve("classes").toString(),
                driver.toString(),
                spark.toString()));
    List<String> shipped = List.of(jars.split(","));
    assertThat(shipped).hasSize(2).contains(driver.toAbsolutePath().toString());
    try (JarFile jar = new JarFile(shipped.get(0))) {
      assertThat(jar.getEntry("dev/sluice/A.class")).isNotNull();
    }
  }
}
