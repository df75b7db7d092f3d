package dev.sluice.core.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spark.TestData;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer's single-pass scan against its regular-expression definition, on every IMDB review.
 */
class TokenizerOnImdbTest {

  @Test
  void scannerMatchesTheDefinitionOnAllFiftyThousandReviews() throws Exception {
    List<String> lines = Files.readAllLines(TestData.imdb());
    assertThat(lines).hasSize(50_000);
    int checked = 0;
    for (String line : lines) {
      String text = ReviewCodec.decode(line).review().text();
      assertThat(Tokenizer.words(text)).as(text).isEqualTo(TokenizerTest.reference(text));
      checked++;
    }
    assertThat(checked).isEqualTo(50_000);
  }
}
