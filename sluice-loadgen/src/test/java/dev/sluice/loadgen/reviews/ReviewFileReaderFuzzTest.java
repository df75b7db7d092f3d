package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

class ReviewFileReaderFuzzTest {

  /** Any file is read to its end: every non-blank line is a review or a problem, in order. */
  @FuzzTest
  // No line ends: Jazzer writes entries to libFuzzer's dictionary file one a line, unescaped.
  @DictionaryEntries({"\uFEFF", "{\"text\":\"", "\",\"score\":5}", "\"overall\":"})
  void readsEveryLineOfAnyFileAsAReviewOrAProblem(byte[] file) throws IOException {
    long lineEnds = 0;
    for (byte b : file) {
      lineEnds += b == '\n' ? 1 : 0;
    }

    long previous = 0;
    try (ReviewFileReader reader =
        new ReviewFileReader(new ByteArrayInputStream(file), ReviewFormats::convert)) {
      for (ReviewFileReader.Line line = reader.next(); line != null; line = reader.next()) {
        assertThat(line.number()).isGreaterThan(previous).isLessThanOrEqualTo(lineEnds + 1);
        assertThat(line.converted().ok()).isNotEqualTo(line.converted().problem() != null);
        previous = line.number();
      }
      assertThat(reader.next()).isNull();
    }
  }
}
