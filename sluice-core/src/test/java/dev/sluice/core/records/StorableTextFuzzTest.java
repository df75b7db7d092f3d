package dev.sluice.core.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

class StorableTextFuzzTest {

  /**
   * Each two bytes of the input are one UTF-16 char, so the text can hold what no decoder of valid
   * UTF-8 produces but JSON escapes can: U+0000 and surrogates, paired or not.
   */
  @FuzzTest
  void problemStorableReplaceUnstorableAndAbbreviateAgree(byte[] utf16) {
    String text = chars(utf16);
    int maxChars = utf16.length == 0 ? 0 : utf16[0] & 0x3f;

    boolean storable = StorableText.storable(text);
    assertThat(StorableText.problem("text", text).isEmpty()).isEqualTo(storable);

    String replaced = StorableText.replaceUnstorable(text);
    assertThat(StorableText.storable(replaced)).isTrue();
    if (storable) {
      assertThat(replaced).isEqualTo(text);
    }
    // Only what cannot be stored is replaced, one char for one, so positions in a reason still
    // hold.
    assertThat(replaced).hasSameSizeAs(text);
    for (int i = 0; i < text.length(); i++) {
      if (replaced.charAt(i) != text.charAt(i)) {
        assertThat(replaced.charAt(i)).isEqualTo('\uFFFD');
      }
    }

    String quoted = StorableText.abbreviate(text, maxChars);
    if (storable) {
      assertThat(StorableText.storable(quoted)).as("storable: %s", quoted).isTrue();
    }
    if (text.length() <= maxChars) {
      assertThat(quoted).isEqualTo(text);
    } else {
      assertThat(quoted).endsWith("...").hasSizeLessThanOrEqualTo(maxChars + 3);
      assertThat(text).startsWith(quoted.substring(0, quoted.length() - 3));
    }
  }

  private static String chars(byte[] utf16) {
    char[] chars = new char[utf16.length / 2];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ((utf16[2 * i] & 0xff) << 8 | (utf16[2 * i + 1] & 0xff));
    }
    return new String(chars);
  }
}
