package dev.sluice.detect.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.UrlEncodedForm;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic, with a detector whose answers are known: it flags entries with "!". */
class EvaluationTest {
  private static final Detector BANG =
      event -> {
        String text = textOf(event);
        if (!text.contains("!")) {
          return Set.of();
        }
        return text.contains("xss") ? Set.of("xss") : Set.of("sqli");
      };

  private static String textOf(HttpEvent event) {
    if (event.payload() != null) {
      return UrlEncodedForm.decode(event.payload());
    }
    return UrlEncodedForm.decode(UrlEncodedForm.queryOf(event.path()))
        + event.header("User-Agent").orElse("");
  }

  @Test
  void recallCountsOnlyFindingsOfTheCorpusClass() {
    Corpus sqli =
        new Corpus("sql", "sqli", Delivery.QUERY_PARAMETER, List.of("a!", "b", "xss!", "d!"));

    Score score = Evaluation.run(BANG, List.of(sqli)).get(0);

    // "xss!" is flagged, but as the wrong class.
    assertThat(score).isEqualTo(new Score("sql", "sqli", 2, 4));
    assertThat(score.rate()).isEqualTo(0.5);
  }

  @Test
  void falsePositivesCountAnyFindingOnBenignInput() {
    Corpus reviews = new Corpus("reviews", null, Delivery.FORM_BODY, List.of("fine", "great!"));
    Corpus agents =
        new Corpus("agents", null, Delivery.USER_AGENT, List.of("Mozilla!", "curl", "wget", "x"));

    List<Score> scores = Evaluation.run(BANG, List.of(reviews, agents));

    assertThat(scores)
        .containsExactly(new Score("reviews", null, 1, 2), new Score("agents", null, 1, 4));
    assertThat(scores.get(1).rate()).isEqualTo(0.25);
  }

  @Test
  void anUnclassifiedFlagCountsForEveryClass() {
    Corpus xss = new Corpus("x", "xss", Delivery.QUERY_PARAMETER, List.of("a", "b"));

    Score score = Evaluation.run(event -> Set.of(Detector.UNCLASSIFIED), List.of(xss)).get(0);

    assertThat(score.detected()).isEqualTo(2);
  }

  @Test
  void theTableGivesCountsAndPercentages() {
    String table =
        Evaluation.table(
            "found",
            List.of(new Score("wfuzz SQL.txt", "sqli", 49, 125), new Score("r", null, 63, 3000)));

    assertThat(table)
        .contains("| wfuzz SQL.txt | sqli | 49/125 | recall 39.2% |")
        .contains("| r | benign | 63/3000 | false positives 2.1% |");
  }

  @Test
  void anEmptyCorpusHasRateZeroAndImpossibleCountsAreRefused() {
    assertThat(new Score("e", "sqli", 0, 0).rate()).isZero();
    assertThatThrownBy(() -> new Score("e", "sqli", 3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("3 of 2 is not a count");
  }

  @Test
  void attackEntriesKeepTheirOwnEscapesAndFreeTextIsFormEncoded() {
    assertThat(Delivery.encodeKeepingEscapes("'%20or%20'x'='x"))
        .isEqualTo("%27%20or%20%27x%27%3D%27x");
    assertThat(Delivery.encodeKeepingEscapes("é 100%")).isEqualTo("%C3%A9%20100%25");
    HttpEvent review = Delivery.FORM_BODY.event("It's 100% great & more");
    assertThat(review.payload()).isEqualTo("text=It%27s+100%25+great+%26+more");
    assertThat(review.header("content-type")).contains("application/x-www-form-urlencoded");
    assertThat(Delivery.USER_AGENT.event("sqlmap/1.0").header("User-Agent")).contains("sqlmap/1.0");
  }

  @Test
  void completeSqlPayloadsAreExpressionsNotFragments() {
    assertThat(
            List.of(
                "' or 1=1--",
                "or%201=1",
                "'; exec xp_regread",
                "\\x27\\x4F\\x52 SELECT *",
                "' or (EXISTS)"))
        .allMatch(CompleteSqlPayloads::isComplete);
    assertThat(
            List.of(
                "'",
                "select",
                "order by",
                "exec xp",
                "@variable",
                "*(|(mail=*))",
                "&lt;&gt;&quot;'%;)(&amp;+",
                "&apos;%20OR"))
        .noneMatch(CompleteSqlPayloads::isComplete);
  }
}
