package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads archives written by the system's tar in each format it offers. */
class TarReaderTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"ustar", "gnu", "pax"})
  void readsEveryEntryWithLongNamesAndExactContent(String format) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/package"));
    String longName = "d".repeat(60) + "/" + "f".repeat(80) + ".json";
    Files.createDirectories(src.resolve(longName).getParent());
    Files.writeString(src.resolve(longName), "{\"long\":true}");
    byte[] big = new byte[70_001];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Files.write(src.resolve("reviews.json"), big);
    Files.writeString(src.resolve("empty.txt"), "");
    Path archive = dir.resolve("a.tar");
    Process tar =
        new ProcessBuilder(
                "tar",
                "--format=" + format,
                "-cf",
                archive.toString(),
                "-C",
                dir.resolve("src").toString(),
                "package")
            .redirectErrorStream(true)
            .start();
    assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue())
        .as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();

    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(archive)) {
      TarReader reader = new TarReader(in);
      for (Optional<TarReader.Entry> entry = reader.next();
          entry.isPresent();
          entry = reader.next()) {
        if (entry.get().isFile()) {
          byte[] content = reader.content().readAllBytes();
          assertThat(content).hasSize((int) entry.get().size());
          files.put(entry.get().name(), content);
        }
      }
    }

    assertThat(files.keySet())
        .containsExactlyInAnyOrder(
            "package/" + longName, "package/reviews.json", "package/empty.txt");
    assertThat(files.get("package/reviews.json")).isEqualTo(big);
    assertThat(new String(files.get("package/" + longName), StandardCharsets.UTF_8))
        .isEqualTo("{\"long\":true}");
    assertThat(files.get("package/empty.txt")).isEmpty();
  }

  @Test
  void somethingElseIsNotATarArchive() {
    byte[] notTar = new byte[1024];
    java.util.Arrays.fill(notTar, (byte) 'x');
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(notTar)).next())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a tar archive");
  }
}
