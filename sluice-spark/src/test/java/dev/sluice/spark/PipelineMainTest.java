package dev.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class PipelineMainTest {
  @Test
  void withoutRealTimeQueriesTheConfiguredMasterIsKept() {
    assertThat(PipelineMain.master("local[*]", 0, 2)).isEqualTo("local[*]");
    assertThat(PipelineMain.master("spark://h:7077", 0, 2)).isEqualTo("spark://h:7077");
  }

  @Test
  void theDefaultLocalMasterGetsASlotPerRealTimePartitionOnTopOfTheCores() {
    assertThat(PipelineMain.master("local[*]", 4, 2)).isEqualTo("local[6]");
    assertThat(PipelineMain.master("local[8]", 4, 2)).isEqualTo("local[8]");
    assertThat(PipelineMain.master("spark://h:7077", 4, 2)).isEqualTo("spark://h:7077");
  }

  @Test
  void aLocalMasterWithNoSlotLeftForMicroBatchWorkIsRefused() {
    assertThatThrownBy(() -> PipelineMain.master("local[4]", 4, 2))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_SPARK_MASTER='local[4]' leaves no task slot")
        .hasMessageContaining("use local[6]");
    assertThatThrownBy(() -> PipelineMain.master("local", 2, 2))
        .isInstanceOf(ConfigException.class);
  }
}
