package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLogTest {
  private static final String METADATA =
      "{\"batchWatermarkMs\":0,\"batchTimestampMs\":1795985870146,\"conf\":{}}";

  @TempDir Path dir;

  @Test
  void readsTheIdentityAndABatchsEndOffsetsAsSparkWritesThem() throws IOException {
    CheckpointLog log = new CheckpointLog(dir.resolve("reviews"));
    assertThat(log.exists()).isFalse();
    Files.createDirectories(dir.resolve("reviews/offsets"));
    Files.writeString(
        dir.resolve("reviews/metadata"), "{\"id\":\"fade6bf4-f523-47d8-af2f-70230d043a73\"}");
    Files.writeString(
        dir.resolve("reviews/offsets/7"),
        "v1\n" + METADATA + "\n{\"reviews\":{\"0\":64,\"1\":59}}");
    assertThat(log.exists()).isTrue();
    assertThat(log.queryId()).isEqualTo("fade6bf4-f523-47d8-af2f-70230d043a73");
    assertThat(log.endOffsets(7)).isEqualTo("{\"reviews\":{\"0\":64,\"1\":59}}");
    assertThatThrownBy(() -> log.endOffsets(8))
        .hasMessageContaining("cannot read the offsets of batch 8");
  }

  @Test
  void theOffsetsOfSeveralSourcesBecomeOneObjectAndASourceWithoutOffsetsIsLeftOut()
      throws IOException {
    assertThat(
            CheckpointLog.endOffsets(
                List.of("v1", METADATA, "{\"a\":{\"0\":1}}", "-", "{\"b\":{\"0\":2,\"1\":3}}")))
        .isEqualTo("{\"a\":{\"0\":1},\"b\":{\"0\":2,\"1\":3}}");
  }

  @Test
  void aFileThatIsNoOffsetLogIsRefused() {
    assertThatThrownBy(() -> CheckpointLog.endOffsets(List.of("garbage")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> CheckpointLog.endOffsets(List.of("v1", METADATA, "[1,2]")))
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void theTemporaryFilesOfAnInterruptedLogWriteAreRemovedAndNothingElse() throws IOException {
    Path checkpoint = dir.resolve("realtime");
    Files.createDirectories(checkpoint.resolve("offsets"));
    Files.createDirectories(checkpoint.resolve("commits"));
    Files.createDirectories(checkpoint.resolve("sources/0"));
    // As a run killed between writing offsets/1 (and commits/0) and renaming them leaves them.
    List<Path> leftovers =
        List.of(
            checkpoint.resolve("offsets/.1.1e677f84-07a3-491b-a18b-a9076f11ba24.tmp"),
            checkpoint.resolve("offsets/..1.1e677f84-07a3-491b-a18b-a9076f11ba24.tmp.crc"),
            checkpoint.resolve("commits/.0.5b2a3c1d-0000-4000-8000-000000000001.tmp"));
    List<Path> kept =
        List.of(
            checkpoint.resolve("metadata"),
            checkpoint.resolve("offsets/0"),
            checkpoint.resolve("offsets/.0.crc"),
            checkpoint.resolve("sources/0/0"),
            checkpoint.resolve("sources/0/.0.9f3e.tmp"));
    for (Path file : leftovers) {
      Files.writeString(file, "v1");
    }
    for (Path file : kept) {
      Files.writeString(file, "v1");
    }

    CheckpointLog log = new CheckpointLog(checkpoint);
    assertThat(log.removeUnfinishedWrites()).containsExactlyInAnyOrderElementsOf(leftovers);
    assertThat(leftovers).noneMatch(Files::exists);
    assertThat(kept).allMatch(Files::exists);
    assertThat(log.removeUnfinishedWrites()).isEmpty();
    assertThat(new CheckpointLog(dir.resolve("never-started")).removeUnfinishedWrites()).isEmpty();
  }
}
