package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StartingOffsetsTest {
  @Test
  void everyPartitionIsNamedAndThoseTheLedgerNeverSawStartAtTheEarliest() {
    assertThat(StartingOffsets.resume("{\"t\":{\"0\":12,\"2\":7},\"other\":{\"0\":3}}", "t", 4))
        .isEqualTo("{\"t\":{\"0\":12,\"1\":-2,\"2\":7,\"3\":-2}}");
  }

  @Test
  void aTopicTheLedgerNeverReadStartsAtTheEarliestEverywhere() {
    assertThat(StartingOffsets.resume("{\"other\":{\"0\":3}}", "t", 2))
        .isEqualTo("{\"t\":{\"0\":-2,\"1\":-2}}");
  }

  @Test
  void offsetsThatAreNoJsonAreAnError() {
    assertThatThrownBy(() -> StartingOffsets.resume("not json", "t", 1))
        .hasMessageContaining("not valid JSON");
  }
}
