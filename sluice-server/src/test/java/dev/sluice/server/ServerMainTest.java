package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerMainTest {
  @Test
  void startFailureReasonIsTheMessageChainWithoutRepeats() {
    Exception e =
        new IllegalStateException(
            "cannot create topic reviews",
            new RuntimeException(
                "cannot create topic reviews", new RuntimeException("Timed out\n\tat somewhere")));
    assertThat(ServerMain.reason(e)).isEqualTo("cannot create topic reviews: Timed out");
  }
}
