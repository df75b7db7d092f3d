package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {
  /** A sample line of the text format: name, optional labels, a number. */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? -?[0-9.eE+-]+|.* (\\+Inf|NaN)");

  @Test
  void histogramBucketsAreCumulativeWithSumAndCount() {
    Metrics metrics = new Metrics();
    metrics.request("GET", "/api/words/top", 200, 300_000); // 0.3 ms
    metrics.request("GET", "/api/words/top", 200, 3_000_000); // 3 ms
    metrics.request("GET", "/api/words/top", 200, 20_000_000_000L); // 20 s: only +Inf

    String text = metrics.scrape();

    String prefix =
        "sluice_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/words/top\",le=";
    assertThat(text).contains(prefix + "\"0.0005\"} 1\n");
    assertThat(text).contains(prefix + "\"0.0025\"} 1\n");
    assertThat(text).contains(prefix + "\"0.005\"} 2\n");
    assertThat(text).contains(prefix + "\"10\"} 2\n");
    assertThat(text).contains(prefix + "\"+Inf\"} 3\n");
    assertThat(text)
        .contains(
            "sluice_http_request_duration_seconds_count{method=\"GET\",route=\"/api/words/top\"} 3\n");
    assertThat(text)
        .contains(
            "sluice_http_request_duration_seconds_sum{method=\"GET\",route=\"/api/words/top\"} 20.003300000\n");
    assertThat(text)
        .contains(
            "sluice_http_requests_total{method=\"GET\",route=\"/api/words/top\",status=\"200\"} 3\n");
  }

  @Test
  void everyLineIsACommentOrAWellFormedSample() {
    Metrics metrics = new Metrics();
    metrics.request("POST", "/api/reviews", 202, 1_000_000);
    metrics.rejected("reviews", "invalid");
    metrics.produced("reviews", 2_000_000);
    metrics.sseClients(() -> 7);

    List<String> lines = metrics.scrape().lines().toList();

    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      assertThat(SAMPLE.matcher(line).matches()).as(line).isTrue();
    }
    assertThat(lines)
        .contains(
            "sluice_sse_clients 7",
            "sluice_records_rejected_total{pipeline=\"reviews\",reason=\"invalid\"} 1",
            "sluice_records_accepted_total{pipeline=\"reviews\"} 1");
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(Metrics.labels("route", "a\"b\\c\nd")).isEqualTo("route=\"a\\\"b\\\\c\\nd\"");
  }
}
