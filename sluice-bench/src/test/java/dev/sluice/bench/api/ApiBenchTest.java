package dev.sluice.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class ApiBenchTest {
  @Test
  void tooFewOpenFilesForTheStreamsIsABadConfigurationThatSaysWhatToDo() {
    assertThatThrownBy(() -> ApiBench.requireOpenFiles(10_000, 1024))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--sse-clients 10000 needs about 10500 open files")
        .hasMessageContaining("may open 1024 (ulimit -n)")
        .hasMessageContaining("ulimit -n 20000")
        .hasMessageContaining("or give --sse-clients 524");
  }

  @Test
  void enoughOpenFilesOrAnUnknownLimitPasses() {
    assertThatCode(() -> ApiBench.requireOpenFiles(10_000, 20_000)).doesNotThrowAnyException();
    assertThatCode(() -> ApiBench.requireOpenFiles(10_000, -1)).doesNotThrowAnyException();
  }

  @Test
  void theLimitIsReadFromProc() {
    assertThat(ApiBench.openFilesLimit()).isGreaterThan(0);
  }

  @Test
  void everyPostCarriesAnIdOfItsOwn() {
    HttpLoad.Requests posts = ApiBench.reviewPosts(8080, "t");

    String first = new String(posts.request(3, 7), java.nio.charset.StandardCharsets.UTF_8);
    String again = new String(posts.request(3, 7), java.nio.charset.StandardCharsets.UTF_8);
    String next = new String(posts.request(3, 8), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(first).isEqualTo(again).contains("-3-7\",\"text\":");
    assertThat(next).contains("-3-8\",\"text\":");
    int body = first.indexOf("\r\n\r\n") + 4;
    assertThat(first).contains("Content-Length: " + (first.length() - body) + "\r\n");
  }

  @Test
  void aPhaseLineSaysRateLatencyAndCounts() {
    Latencies latencies = new Latencies(2);
    latencies.add(2_000_000);
    latencies.add(4_000_000);
    HttpLoad.Result result = new HttpLoad.Result(3, 2, 1, 0.5, latencies, "status 503");

    assertThat(ApiBench.phase("POST /api/reviews", "acknowledged/s", result))
        .isEqualTo(
            "  POST /api/reviews                4 acknowledged/s   p50   2.00 ms   p99   4.00 ms"
                + "   (2 ok, 1 failed in 0.5 s)"
                + " first failure: status 503"
                + System.lineSeparator());
  }
}
