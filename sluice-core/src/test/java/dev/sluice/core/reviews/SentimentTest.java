package dev.sluice.core.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentimentTest {

  @ParameterizedTest(name = "label {0}, score {1} -> {2}")
  @CsvSource(
      nullValues = "null",
      value = {
        "POS, null, POS",
        "NEG, null, NEG",
        // the label wins over any score
        "POS, 1, POS",
        "POS, 3, POS",
        "NEG, 5, NEG",
        "NEG, 3, NEG",
        "null, 5, POS",
        "null, 4, POS",
        "null, 3, null",
        "null, 2, NEG",
        "null, 1, NEG",
        "null, null, null"
      })
  void groundTruth(Sentiment label, Integer score, Sentiment expected) {
    assertThat(Sentiment.groundTruth(label, score)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void reviewTruthAgreesWithGroundTruthForEveryCombination() {
    List<Sentiment> labels = new ArrayList<>(Arrays.asList(Sentiment.values()));
    labels.add(null);
    List<Integer> scores = Arrays.asList(null, 1, 2, 3, 4, 5);
    for (Sentiment label : labels) {
      for (Integer score : scores) {
        Optional<Sentiment> expected =
            label != null
                ? Optional.of(label)
                : score == null || score == 3
                    ? Optional.empty()
                    : Optional.of(score >= 4 ? Sentiment.POS : Sentiment.NEG);
        Review review = new Review("id", "text", score, label, null);
        assertThat(review.truth()).as("label %s score %s", label, score).isEqualTo(expected);
        assertThat(Sentiment.groundTruth(label, score)).isEqualTo(expected);
      }
    }
  }

  @Test
  void wireFormAndMllibLabel() {
    assertThat(Sentiment.fromWire("pos")).contains(Sentiment.POS);
    assertThat(Sentiment.fromWire("neg")).contains(Sentiment.NEG);
    assertThat(Sentiment.fromWire("positive")).isEmpty();
    assertThat(Sentiment.fromWire(null)).isEmpty();
    assertThat(Sentiment.POS.label()).isEqualTo(1.0);
    assertThat(Sentiment.NEG.label()).isEqualTo(0.0);
    assertThat(Sentiment.fromLabel(1.0)).isEqualTo(Sentiment.POS);
    assertThat(Sentiment.fromLabel(0.0)).isEqualTo(Sentiment.NEG);
  }
}
