package dev.sluice.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;
import dev.sluice.server.Json;
import dev.sluice.server.Problem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The parts of a request the API parses itself: the media type of a write, the {@code limit} of a
 * read, and the bounded body. Each is either accepted or answered with a problem a client can read.
 */
class RequestParsingFuzzTest {

  @FuzzTest
  @DictionaryEntries({"application/json", ";", "charset=utf-8", " ", "1000", "-", "+", "0x10"})
  void acceptsValidPartsAndAnswersTheRestWithAProblem(FuzzedDataProvider data) throws IOException {
    String contentType = data.consumeBoolean() ? null : data.consumeString(120);
    String limitText = data.consumeBoolean() ? null : data.consumeString(120);
    int max = data.consumeInt(1, 10_000);
    int defaultLimit = data.consumeInt(1, max);
    int bodyLimit = data.consumeInt(0, 1000);
    int readSize = data.consumeInt(1, 64);
    byte[] body = data.consumeRemainingAsBytes();

    try {
      RecordIngest.requireJson(contentType);
      assertThat(contentType.toLowerCase(Locale.ROOT)).contains("application/json");
    } catch (Problem problem) {
      assertThat(problem.status()).isEqualTo(415);
      assertAnswerable(problem, contentType);
    }

    try {
      int limit = Reads.limit(limitText, defaultLimit, max);
      assertThat(limit)
          .isEqualTo(limitText == null ? defaultLimit : Integer.parseInt(limitText.strip()));
      assertThat(limit).isBetween(1, max);
    } catch (Problem problem) {
      assertThat(limitText).isNotNull();
      assertThat(problem.status()).isEqualTo(400);
      assertAnswerable(problem, limitText);
    }

    byte[] read = RecordIngest.readAtMost(new ShortReads(body, readSize), bodyLimit);
    assertThat(read).isEqualTo(Arrays.copyOf(body, Math.min(body.length, bodyLimit)));
  }

  /**
   * Its detail reaches the client unchanged; quoting well-formed input keeps it well-formed (a cut
   * through a surrogate pair would leave half a character, which UTF-8 cannot encode).
   */
  private static void assertAnswerable(Problem problem, String input) throws IOException {
    if (input == null || StorableText.storable(input)) {
      assertThat(StorableText.storable(problem.detail()))
          .as("storable: %s", problem.detail())
          .isTrue();
    }
    assertThat(Json.MAPPER.readTree(problem.body()).get("detail").textValue())
        .isEqualTo(problem.detail());
  }

  /** A request body arriving a few bytes at a time, as a slow client sends it. */
  private static final class ShortReads extends InputStream {
    private final ByteArrayInputStream bytes;
    private final int readSize;

    ShortReads(byte[] body, int readSize) {
      this.bytes = new ByteArrayInputStream(body);
      this.readSize = readSize;
    }

    @Override
    public int read() {
      return bytes.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      return bytes.read(buffer, offset, Math.min(length, readSize));
    }
  }
}
