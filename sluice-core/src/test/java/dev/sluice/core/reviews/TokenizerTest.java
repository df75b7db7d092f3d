package dev.sluice.core.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins {@link Tokenizer#words} to the product definition of a word by comparing the single-pass
 * scanner with a literal transcription of that definition into regular expressions.
 */
class TokenizerTest {
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern RUN = Pattern.compile("[\\p{L}']+");
  private static final Set<String> STOP_WORDS = readStopWordsFile();

  /** The definition, step by step, exactly as the issue states it. */
  static List<String> reference(String text) {
    String s = TAG.matcher(text).replaceAll(" ");
    s = s.replace('\u2019', '\'');
    s = s.toLowerCase(Locale.ROOT);
    List<String> words = new ArrayList<>();
    Matcher run = RUN.matcher(s);
    while (run.find()) {
      String token = run.group().replaceAll("^'+", "").replaceAll("'+$", "");
      if (token.codePointCount(0, token.length()) >= 2 && !STOP_WORDS.contains(token)) {
        words.add(token);
      }
    }
    return words;
  }

  private static Set<String> readStopWordsFile() {
    try (InputStream in =
        TokenizerTest.class.getResourceAsStream("/dev/sluice/core/reviews/stopwords-english.txt")) {
      assertThat(in).as("bundled stopwords-english.txt").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Makes invisible and look-alike characters readable in failure messages. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints()
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\') {
                out.appendCodePoint(cp);
              } else {
                out.append(String.format("\\u{%04X}", cp));
              }
            });
    return out.append('"').toString();
  }

  @Test
  void bundledStopWordsAreSparksEnglishList() {
    // The scanner uses the bundled file; spot-check words of each kind of Spark's English list.
    assertThat(Tokenizer.stopWords()).isEqualTo(STOP_WORDS);
    assertThat(STOP_WORDS)
        .contains("the", "not", "don't", "isn't", "i'm", "s", "t", "would", "could", "ought")
        .hasSizeGreaterThanOrEqualTo(170);
    assertThat(STOP_WORDS).doesNotContain("movie", "good", "bad");
  }

  static List<Object[]> handWritten() {
    return List.of(
        // HTML
        new Object[] {"Loved it.<br /><br />Great film", List.of("loved", "great", "film")},
        new Object[] {"great<br/>movie", List.of("great", "movie")},
        new Object[] {"a<b>c", List.of()}, // a tag separates: no "ac"
        new Object[] {"ab<i>cd</i>ef", List.of("ab", "cd", "ef")},
        new Object[] {"<p class='x'>acting</p>", List.of("acting")},
        new Object[] {"5 < 10 means smaller", List.of("means", "smaller")},
        new Object[] {"great<movie", List.of("great", "movie")}, // unclosed: '<' is a separator
        new Object[] {"good> plot", List.of("good", "plot")},
        new Object[] {"<<tag>>word", List.of("word")},
        new Object[] {"x<a<b>y z>ww", List.of("ww")},
        // apostrophes
        new Object[] {"don't", List.of()},
        new Object[] {"Don\u2019t stop", List.of("stop")},
        new Object[] {"'quoted'", List.of("quoted")},
        new Object[] {"\u2019quoted\u2019", List.of("quoted")},
        new Object[] {"rock'n'roll", List.of("rock'n'roll")},
        new Object[] {"rock\u2019n\u2019roll", List.of("rock'n'roll")},
        new Object[] {"''''", List.of()},
        new Object[] {"a' 'b ''ab''", List.of("ab")},
        new Object[] {"o'", List.of()},
        // Unicode letters
        new Object[] {"Café naïve Straße", List.of("café", "naïve", "straße")},
        new Object[] {"\u0130stanbul", List.of("stanbul")}, // i + U+0307 (not a letter) + stanbul
        new Object[] {
          "\u039f\u0394\u039f\u03a3", List.of("\u03bf\u03b4\u03bf\u03c2")
        }, // final sigma
        new Object[] {
          "\u039f\u0394\u039f\u03a3 \u0391\u0392",
          List.of("\u03bf\u03b4\u03bf\u03c2", "\u03b1\u03b2")
        },
        new Object[] {"東京タワー 映画", List.of("東京タワー", "映画")},
        new Object[] {"\ud835\udc9c\ud835\udc9c", List.of("\ud835\udc9c\ud835\udc9c")}, // two 𝒜
        new Object[] {"\ud835\udc9c", List.of()}, // one 𝒜 is one character
        new Object[] {"x\ud835\udc9c", List.of("x\ud835\udc9c")},
        new Object[] {
          "\ud801\udc00\ud801\udc01", List.of("\ud801\udc28\ud801\udc29")
        }, // Deseret lowercases
        // separators
        new Object[] {"abc123def", List.of("abc", "def")},
        new Object[] {"hello,world!foo-bar_baz", List.of("hello", "world", "foo", "bar", "baz")},
        new Object[] {"wow\uD83D\uDE00wow", List.of("wow", "wow")},
        new Object[] {"", List.of()},
        new Object[] {"   \t\n ", List.of()},
        // stop words, in any case
        new Object[] {"The NOT Movie", List.of("movie")},
        new Object[] {"I'M SURE IT'S GOOD", List.of("sure", "good")});
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("handWritten")
  void handWrittenCasesFollowTheDefinition(String text, List<String> expected) {
    assertThat(reference(text)).as("reference for %s", escape(text)).isEqualTo(expected);
    assertThat(Tokenizer.words(text)).as("words(%s)", escape(text)).isEqualTo(expected);
  }

  @Test
  void curlyApostropheIsReplacedBeforeLowercasing() {
    // The definition replaces ’ by ' and only then lowercases. Σ followed by an apostrophe and a
    // letter is inside a word, so it lowercases to σ, not to the word-final ς.
    String text = "\u039f\u0394\u039f\u03a3\u2019\u0391";
    String expectedWord = "\u039f\u0394\u039f\u03a3'\u0391".toLowerCase(Locale.ROOT);
    assertThat(reference(text)).containsExactly(expectedWord);
    assertThat(Tokenizer.words(text)).as("words(%s)", escape(text)).containsExactly(expectedWord);
  }

  private static final String[] PIECES = {
    "a",
    "b",
    "Z",
    "q",
    "The",
    "not",
    "movie",
    "don",
    "t",
    "s",
    "<",
    ">",
    "<b>",
    "</i>",
    "<br />",
    "<a href='x'>",
    "'",
    "'",
    "\u2019",
    "\u2019",
    "é",
    "É",
    "ß",
    "ï",
    "\u0130",
    "\u03a3",
    "\u03c3",
    "\u03c2",
    "\u0391",
    "\u039f",
    "\ud835\udc9c",
    "\ud801\udc00",
    "東",
    "タ",
    "ー",
    "0",
    "7",
    " ",
    " ",
    "\t",
    "\n",
    "-",
    ",",
    ".",
    "!",
    "\ud83d\ude00",
    "\u0301",
    "\u0307",
    "_",
    "\u00a0"
  };

  @Test
  void scannerEqualsTheDefinitionOnRandomText() {
    Random random = new Random(20240607L);
    List<String> mismatches = new ArrayList<>();
    int cases = 20_000;
    for (int n = 0; n < cases; n++) {
      StringBuilder text = new StringBuilder();
      int pieces = random.nextInt(16);
      for (int p = 0; p < pieces; p++) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String input = text.toString();
      List<String> expected = reference(input);
      List<String> actual = Tokenizer.words(input);
      if (!actual.equals(expected)) {
        String line =
            "input "
                + escape(input)
                + ": expected "
                + expected.stream().map(TokenizerTest::escape).toList()
                + " but was "
                + actual.stream().map(TokenizerTest::escape).toList();
        System.out.println("TokenizerTest mismatch: " + line);
        mismatches.add(line);
      }
    }
    assertThat(mismatches)
        .as(
            "%d of %d random inputs differ from the definition; first ones:%n%s",
            mismatches.size(),
            cases,
            String.join(System.lineSeparator(), mismatches.stream().limit(10).toList()))
        .isEmpty();
  }
}
