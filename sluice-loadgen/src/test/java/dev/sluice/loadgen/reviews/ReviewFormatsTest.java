package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.Sentiment;
import dev.sluice.loadgen.reviews.ReviewFormats.Converted;
import dev.sluice.loadgen.reviews.ReviewFormats.Format;
import org.junit.jupiter.api.Test;

class ReviewFormatsTest {

  private static Review ok(String line, Format format) {
    Converted converted = ReviewFormats.convert(line);
    assertThat(converted.problem()).as("problem of %s", line).isNull();
    assertThat(converted.format()).isEqualTo(format);
    return converted.review();
  }

  private static String problem(String line) {
    Converted converted = ReviewFormats.convert(line);
    assertThat(converted.ok()).as("%s should be rejected", line).isFalse();
    return converted.problem();
  }

  @Test
  void textWithScore() {
    Review review = ok("{\"text\":\"Great phone\",\"score\":5}", Format.SLUICE);
    assertThat(review).isEqualTo(new Review(null, "Great phone", 5, null, null));
    assertThat(review.truth()).contains(Sentiment.POS);
  }

  @Test
  void textWithLabelIdAndTimestamp() {
    Review review =
        ok(
            "{\"id\":\"r-1\",\"text\":\"Dull.\",\"label\":\"neg\",\"ts\":1700000000000}",
            Format.SLUICE);
    assertThat(review)
        .isEqualTo(new Review("r-1", "Dull.", null, Sentiment.NEG, 1_700_000_000_000L));
  }

  @Test
  void amazonReview() {
    Review review =
        ok(
            "{\"reviewerID\":\"A2SUAM1J3GNN3B\",\"asin\":\"0000013714\",\"reviewerName\":\"J. McDonald\","
                + "\"helpful\":[2,3],\"reviewText\":\"I bought this for my husband.\",\"overall\":5.0,"
                + "\"summary\":\"Heavenly\",\"unixReviewTime\":1252800000,\"reviewTime\":\"09 13, 2009\"}",
            Format.AMAZON);
    assertThat(review)
        .isEqualTo(
            new Review(
                "amazon-0000013714-A2SUAM1J3GNN3B",
                "I bought this for my husband.",
                5,
                null,
                1_252_800_000_000L));
  }

  @Test
  void amazonReviewWithoutIdsOrTimeGetsNoId() {
    Review review = ok("{\"reviewText\":\"Meh\",\"overall\":3, \"asin\":\"B01\"}", Format.AMAZON);
    assertThat(review).isEqualTo(new Review(null, "Meh", 3, null, null));
    assertThat(review.truth()).isEmpty();
  }

  @Test
  void nonAsciiTextSurvivesExactly() {
    String text = "Très bien ! 很好 😀 — naïve “quotes” Ünïcödé";
    Review review = ok("{\"text\":\"" + text + "\",\"label\":\"pos\"}", Format.SLUICE);
    assertThat(review.text()).isEqualTo(text);
    assertThat(ok("{\"reviewText\":\"" + text + "\",\"overall\":1.0}", Format.AMAZON).text())
        .isEqualTo(text);
  }

  @Test
  void scoresOutsideOneToFiveOrFractionalAreRejected() {
    assertThat(problem("{\"text\":\"x\",\"score\":0}"))
        .isEqualTo("score must be a whole number from 1 to 5, got 0");
    assertThat(problem("{\"text\":\"x\",\"score\":6}"))
        .isEqualTo("score must be a whole number from 1 to 5, got 6");
    assertThat(problem("{\"text\":\"x\",\"score\":4.5}"))
        .startsWith("score must be a whole number from 1 to 5")
        .endsWith("4.5");
    assertThat(problem("{\"reviewText\":\"x\",\"overall\":4.5}"))
        .isEqualTo("overall must be a whole number from 1 to 5, got 4.5");
    assertThat(problem("{\"reviewText\":\"x\",\"overall\":0.0}"))
        .isEqualTo("overall must be a whole number from 1 to 5, got 0.0");
    assertThat(problem("{\"reviewText\":\"x\",\"overall\":6}"))
        .isEqualTo("overall must be a whole number from 1 to 5, got 6");
    assertThat(problem("{\"reviewText\":\"x\",\"overall\":\"5.0\"}"))
        .isEqualTo("overall must be a whole number from 1 to 5, got \"5.0\"");
  }

  @Test
  void missingTextIsRejectedInEitherFormat() {
    assertThat(problem("{\"score\":5}")).isEqualTo("text is missing");
    assertThat(problem("{\"text\":\"\",\"score\":5}")).isEqualTo("text is empty");
    assertThat(problem("{\"overall\":5.0,\"asin\":\"B01\"}")).isEqualTo("reviewText is missing");
    assertThat(problem("{\"reviewText\":\"\",\"overall\":5.0}")).isEqualTo("text is empty");
    assertThat(problem("{\"reviewText\":\"x\"}"))
        .isEqualTo("overall is missing: expected a rating from 1 to 5");
  }

  @Test
  void notJsonAndNotObjectsAreRejected() {
    assertThat(problem("this is not json")).startsWith("not valid JSON: ");
    assertThat(problem("{\"text\":\"unterminated")).startsWith("not valid JSON: ");
    assertThat(problem("{\"text\":\"a\",\"score\":5} {\"text\":\"b\"}"))
        .isEqualTo("not valid JSON: more than one JSON value on the line");
    assertThat(problem("{\"text\":\"a\",\"text\":\"b\"}"))
        .startsWith("not valid JSON: Duplicate field 'text'");
    assertThat(problem("[1,2]")).isEqualTo("not a JSON object");
    assertThat(problem("\"just a string\"")).isEqualTo("not a JSON object");
  }

  @Test
  void unknownFormatSaysWhatIsExpected() {
    assertThat(problem("{\"body\":\"Nice\",\"stars\":5}")).isEqualTo(ReviewFormats.UNKNOWN_FORMAT);
    assertThat(problem("{}")).isEqualTo(ReviewFormats.UNKNOWN_FORMAT);
    assertThat(problem("{\"text\":\"a\",\"overall\":5}")).startsWith("mixes Sluice fields");
  }

  @Test
  void fieldsOfTheWrongTypeAreRejected() {
    assertThat(problem("{\"text\":42}")).isEqualTo("text must be a string, got a number");
    assertThat(problem("{\"text\":\"x\",\"label\":\"positive\"}"))
        .isEqualTo("label must be \"pos\" or \"neg\", got \"positive\"");
    assertThat(problem("{\"text\":\"x\",\"ts\":-1}")).startsWith("ts must be epoch milliseconds");
    assertThat(problem("{\"reviewText\":\"x\",\"overall\":5,\"asin\":7}"))
        .isEqualTo("asin must be a non-empty string");
    assertThat(problem("{\"reviewText\":\"x\",\"overall\":5,\"unixReviewTime\":\"yesterday\"}"))
        .startsWith("unixReviewTime must be epoch seconds");
  }

  @Test
  void textLongerThanTheSchemaAllowsIsRejected() {
    String longText = "a".repeat(Review.MAX_TEXT_CHARS + 1);
    assertThat(problem("{\"reviewText\":\"" + longText + "\",\"overall\":5}"))
        .isEqualTo("text has 20001 characters, more than the limit of 20000");
    assertThat(
            ok(
                    "{\"text\":\"" + "a".repeat(Review.MAX_TEXT_CHARS) + "\",\"score\":2}",
                    Format.SLUICE)
                .text())
        .hasSize(Review.MAX_TEXT_CHARS);
  }

  @Test
  void amazonIdsLongerThanTheSchemaAllowsAreRejected() {
    String asin = "B".repeat(150);
    String reviewer = "A".repeat(60);
    assertThat(
            problem(
                "{\"reviewText\":\"x\",\"overall\":5,\"asin\":\""
                    + asin
                    + "\",\"reviewerID\":\""
                    + reviewer
                    + "\"}"))
        .isEqualTo("id must have 1 to 200 characters");
  }
}
