package dev.sluice.server.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.reviews.ReviewsQueries.AccuracyPoint;
import dev.sluice.server.reviews.ReviewsQueries.Prediction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewsLiveFeedTest {

  @Test
  void newPredictionsGoFirstAndTheListKeepsTheNewestHundred() {
    ReviewsLiveFeed.View view =
        new ReviewsLiveFeed.View(0, List.of(), predictions("old", 80), List.of());

    List<Prediction> kept =
        ReviewsLiveFeed.apply(view, change(1, predictions("new", 30), List.of())).predictions();

    assertThat(kept).hasSize(100);
    assertThat(kept.get(0).id()).isEqualTo("new0");
    assertThat(kept.get(29).id()).isEqualTo("new29");
    assertThat(kept.get(30).id()).isEqualTo("old0");
    assertThat(kept.get(99).id()).isEqualTo("old69");
  }

  @Test
  void accuracyKeepsTheNewestThousandPointsInOrder() {
    ReviewsLiveFeed.View view = new ReviewsLiveFeed.View(0, List.of(), List.of(), points(0, 990));

    ReviewsLiveFeed.View next = ReviewsLiveFeed.apply(view, change(1, List.of(), points(990, 20)));

    assertThat(next.accuracy()).hasSize(1000);
    assertThat(next.accuracy().get(0).batchId()).isEqualTo(10);
    assertThat(next.accuracy().get(999).batchId()).isEqualTo(1009);
    assertThat(next.lastBatchId()).isEqualTo(1);
  }

  private static ReviewsLiveFeed.Change change(
      long batch, List<Prediction> predictions, List<AccuracyPoint> accuracy) {
    return new ReviewsLiveFeed.Change(batch, List.of(), predictions, accuracy);
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
