package dev.sluice.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.records.StorableText;
import org.junit.jupiter.api.Test;

class FindingTest {
  @Test
  void anExcerptIsCutAtTheLimitAndMarked() {
    String excerpt = Finding.excerpt("x".repeat(500));

    assertThat(excerpt).isEqualTo("x".repeat(Finding.EXCERPT_CHARS) + "...");
    assertThat(Finding.excerpt("short")).isEqualTo("short");
  }

  @Test
  void anExcerptIsStorableEvenWhenTheInputIsNot() {
    String excerpt = Finding.excerpt("a\u0000b\ud800c" + "😀".repeat(100));

    assertThat(StorableText.storable(excerpt)).isTrue();
    assertThat(excerpt).startsWith("a\uFFFDb\uFFFDc😀");
  }
}
