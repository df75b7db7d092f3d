package dev.sluice.core.reviews;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one definition of a word, shared by the word counts, the sentiment model and the benchmark
 * baseline, so anyone can recompute the results:
 *
 * <ol>
 *   <li>replace every HTML tag ({@code <[^>]*>}) with a space;
 *   <li>replace {@code ’} by {@code '};
 *   <li>lowercase with {@link Locale#ROOT};
 *   <li>take maximal runs of letters and apostrophes ({@code [\p{L}']+});
 *   <li>trim apostrophes at both ends;
 *   <li>drop tokens shorter than 2 characters and Spark's default English stop words.
 * </ol>
 *
 * <p>This is a single left-to-right scan rather than three regular expressions: it is the hot path
 * of the reviews pipeline. {@code TokenizerTest} checks it against the regular-expression
 * definition above on hand-picked and random Unicode, and {@code TokenizerOnImdbTest} (module
 * sluice-spark) on the 50,000 IMDB reviews.
 */
public final class Tokenizer {
  private static final Set<String> STOP_WORDS = loadStopWords();

  private Tokenizer() {}

  /** The words of a review, in order, with repetitions. */
  public static List<String> words(String text) {
    // The curly apostrophe is replaced before lowercasing, as the definition orders: lowercasing
    // looks at word boundaries (a final sigma), and the two apostrophes bound words differently.
    String straight = text.indexOf('\u2019') < 0 ? text : text.replace('\u2019', '\'');
    // Lowercasing before the scan is safe: it never creates or removes '<', '>' or apostrophes.
    String lower = straight.toLowerCase(Locale.ROOT);
    List<String> words = new ArrayList<>();
    int length = lower.length();
    int tokenStart = -1;
    int i = 0;
    while (i < length) {
      int cp = lower.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (cp == '<') {
        int close = lower.indexOf('>', next);
        if (close >= 0) {
          next = close + 1;
        }
        cp = ' ';
      }
      if (cp == '\'' || Character.isLetter(cp)) {
        if (tokenStart < 0) {
          tokenStart = i;
        }
      } else if (tokenStart >= 0) {
        emit(lower, tokenStart, i, words);
        tokenStart = -1;
      }
      i = next;
    }
    if (tokenStart >= 0) {
      emit(lower, tokenStart, length, words);
    }
    return words;
  }

  private static void emit(String text, int start, int end, List<String> words) {
    while (start < end && text.charAt(start) == '\'') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '\'') {
      end--;
    }
    if (end - start < 2) {
      return;
    }
    String word = text.substring(start, end);
    if (end - start == 2 && Character.isSurrogate(word.charAt(0))) {
      return; // one supplementary letter is one character, though two chars in Java
    }
    if (!STOP_WORDS.contains(word)) {
      words.add(word);
    }
  }

  /**
   * Spark's {@code StopWordsRemover.loadDefaultStopWords("english")}, bundled so no Spark is
   * needed.
   */
  public static Set<String> stopWords() {
    return STOP_WORDS;
  }

  private static Set<String> loadStopWords() {
    try (InputStream in = Tokenizer.class.getResourceAsStream("stopwords-english.txt")) {
      if (in == null) {
        throw new IllegalStateException("stopwords-english.txt is missing from the classpath");
      }
      Set<String> words = new HashSet<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          words.add(line.strip());
        }
      }
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
