package dev.sluice.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.ReadQueries.AccuracyPoint;
import dev.sluice.server.ReadQueries.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveStateTest {

  @Test
  void newPredictionsGoFirstAndTheListKeepsTheNewestHundred() {
    LiveState state = new LiveState();
    state.reset(0, List.of(), predictions("old", 80), List.of(), List.of());

    state.apply(update(1, predictions("new", 30), List.of()));

    List<Prediction> kept = state.snapshot("now").predictions();
    assertThat(kept).hasSize(100);
    assertThat(kept.get(0).id()).isEqualTo("new0");
    assertThat(kept.get(29).id()).isEqualTo("new29");
    assertThat(kept.get(30).id()).isEqualTo("old0");
    assertThat(kept.get(99).id()).isEqualTo("old69");
  }

  @Test
  void accuracyKeepsTheNewestThousandPointsInOrder() {
    LiveState state = new LiveState();
    state.reset(0, List.of(), List.of(), points(0, 990), List.of());

    state.apply(update(1, List.of(), points(990, 20)));

    List<AccuracyPoint> kept = state.snapshot("now").accuracy();
    assertThat(kept).hasSize(1000);
    assertThat(kept.get(0).batchId()).isEqualTo(10);
    assertThat(kept.get(999).batchId()).isEqualTo(1009);
  }

  @Test
  void frameIsOneSseEventWithSingleLineJson() {
    String frame =
        new String(
            LiveHub.frame("batch", new LiveState.PipelinesUpdate(List.of(), "t")),
            StandardCharsets.UTF_8);
    assertThat(frame).isEqualTo("event: batch\ndata: {\"pipelines\":[],\"now\":\"t\"}\n\n");
  }

  private static LiveState.BatchUpdate update(
      long batch, List<Prediction> predictions, List<AccuracyPoint> accuracy) {
    return new LiveState.BatchUpdate(
        List.of(), batch, List.of(), predictions, accuracy, List.of(), "now");
  }

  private static List<Prediction> predictions(String prefix, int n) {
    List<Prediction> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new Prediction(prefix + i, "text", "pos", 0.9, null, null, 0, "t", 0, i));
    }
    return list;
  }

  private static List<AccuracyPoint> points(int from, int n) {
    List<AccuracyPoint> list = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      list.add(new AccuracyPoint(i, i, i, i, 1.0, "t"));
    }
    return list;
  }
}
