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
}
