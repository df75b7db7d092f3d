package dev.sluice.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveHubTest {

  @Test
  void frameIsOneSseEventWithSingleLineJson() {
    String frame =
        new String(
            LiveHub.frame("pipelines", new LiveHub.PipelinesUpdate(List.of(), "t")),
            StandardCharsets.UTF_8);
    assertThat(frame).isEqualTo("event: pipelines\ndata: {\"pipelines\":[],\"now\":\"t\"}\n\n");
  }

  @Test
  void aPipelineEventCarriesItsPipelineAndItsFeedsDataOnOneLine() {
    String frame =
        new String(
            LiveHub.frame(
                "batch",
                new LiveHub.PipelineEvent("reviews", List.of(7L), "t", Map.of("text", "a\nb"))),
            StandardCharsets.UTF_8);
    assertThat(frame)
        .isEqualTo(
            "event: batch\ndata: {\"pipeline\":\"reviews\",\"batches\":[7],\"now\":\"t\",\"data\":{\"text\":\"a\\nb\"}}\n\n");
  }
}
