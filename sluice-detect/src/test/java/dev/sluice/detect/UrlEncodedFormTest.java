package dev.sluice.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlEncodedFormTest {
  @Test
  void decodesPlusPercentEscapesAndUtf8() {
    assertThat(UrlEncodedForm.parse("q=caf%C3%A9+au+lait&page=2"))
        .containsExactly(Map.entry("q", "café au lait"), Map.entry("page", "2"));
  }

  @Test
  void keepsAPercentThatStartsNoEscape() {
    assertThat(UrlEncodedForm.decode("100%25 sure%")).isEqualTo("100% sure%");
    assertThat(UrlEncodedForm.decode("%zz%4")).isEqualTo("%zz%4");
  }

  @Test
  void readsBytesThatAreNotUtf8AsLatin1SoNoAttackByteIsLost() {
    assertThat(UrlEncodedForm.decode("%27%bf%27")).isEqualTo("'\u00bf'");
  }

  @Test
  void decodesEscapedAttacksOnce() {
    assertThat(UrlEncodedForm.parse("id=1%27%20or%20%271%27%3D%271"))
        .containsExactly(Map.entry("id", "1' or '1'='1"));
    // Double encoding stays encoded once: that is what the application sees.
    assertThat(UrlEncodedForm.decode("%252e%252e%252f")).isEqualTo("%2e%2e%2f");
  }

  @Test
  void aNameWithoutEqualsHasAnEmptyValueAndEmptyPairsAreSkipped() {
    assertThat(UrlEncodedForm.parse("debug&&a=1=2&"))
        .containsExactly(Map.entry("debug", ""), Map.entry("a", "1=2"));
  }

  @Test
  void splitsAtMostMaxParametersAndKeepsTheRestInTheLast() {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < UrlEncodedForm.MAX_PARAMETERS + 10; i++) {
      query.append("p").append(i).append("=").append(i).append("&");
    }
    List<Map.Entry<String, String>> pairs = UrlEncodedForm.parse(query.toString());
    assertThat(pairs).hasSize(UrlEncodedForm.MAX_PARAMETERS);
    assertThat(pairs.get(UrlEncodedForm.MAX_PARAMETERS - 1).getValue()).contains("&p265=265");
  }

  @Test
  void aPathKeepsItsPlusAndSplitsAtTheFirstQuestionMark() {
    assertThat(UrlEncodedForm.percentDecode("/a+b/%2e%2e/c")).isEqualTo("/a+b/../c");
    assertThat(UrlEncodedForm.pathOnly("/search?q=a?b")).isEqualTo("/search");
    assertThat(UrlEncodedForm.queryOf("/search?q=a?b#top")).isEqualTo("q=a?b#top");
    assertThat(UrlEncodedForm.queryOf("/search")).isEmpty();
    assertThat(UrlEncodedForm.queryOf(null)).isEmpty();
  }
}
