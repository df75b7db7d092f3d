package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

class TarReaderFuzzTest {

  /** Any bytes are read as entries up to the archive's end, or fail with an IOException. */
  @FuzzTest
  void readsEntriesOrFailsWithAnIOException(byte[] archive) {
    TarReader tar = new TarReader(new ByteArrayInputStream(archive));
    try {
      for (Optional<TarReader.Entry> entry = tar.next(); entry.isPresent(); entry = tar.next()) {
        assertThat(entry.get().size()).isNotNegative();
        // An entry's content is never more than the archive.
        try (InputStream content = tar.content()) {
          assertThat(content.readAllBytes().length).isLessThanOrEqualTo(archive.length);
        }
      }
    } catch (IOException documented) {
      // a damaged or truncated archive
    }
  }
}
