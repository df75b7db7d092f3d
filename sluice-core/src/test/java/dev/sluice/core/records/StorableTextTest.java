package dev.sluice.core.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextTest {
  @Test
  void acceptsOrdinaryTextControlCharactersAndPairedSurrogates() {
    String text = "Café 東京 \t\n\u0001 \ud83d\ude00 end";
    assertThat(StorableText.problem("text", text)).isEmpty();
    assertThat(StorableText.storable(text)).isTrue();
    assertThat(StorableText.replaceUnstorable(text)).isSameAs(text);
  }

  @Test
  void namesNulByItsCodePointPosition() {
    // The emoji before it is one character, two Java chars.
    assertThat(StorableText.problem("text", "\ud83d\ude00a\u0000"))
        .contains("text contains U+0000 at character 3");
  }

  @Test
  void namesUnpairedSurrogatesWhereverTheyAre() {
    assertThat(StorableText.problem("id", "\ud800"))
        .contains("id contains an unpaired surrogate U+D800 at character 1");
    assertThat(StorableText.problem("id", "ab\udfff"))
        .contains("id contains an unpaired surrogate U+DFFF at character 3");
    // Low before high is two unpaired halves, not a pair.
    assertThat(StorableText.problem("id", "\ude00\ud83d"))
        .contains("id contains an unpaired surrogate U+DE00 at character 1");
    assertThat(StorableText.storable("\ud83d")).isFalse();
  }

  @Test
  void replacesOnlyWhatCannotBeStored() {
    assertThat(StorableText.replaceUnstorable("a\u0000b\ud800c\ud83d\ude00"))
        .isEqualTo("a\uFFFDb\uFFFDc\ud83d\ude00");
  }
}
