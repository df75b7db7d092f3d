package dev.sluice.detect.eval;

import dev.sluice.detect.CoreRuleSet;
import dev.sluice.detect.Inspector;
import dev.sluice.detect.ModSecurityEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints recall per attack list and false positives on benign inputs, for the Core Rule Set alone
 * at paranoia levels 1 and 2 (the anchor) and for Sluice's inspector.
 *
 * <p>Run it, after {@code ./mvnw -B -q -o package -DskipTests -pl sluice-detect -am}:
 *
 * <pre>
 * java -cp "sluice-detect/target/classes:$(cat sluice-detect/target/runtime-classpath.txt)" \
 *   dev.sluice.detect.eval.EvaluateMain /tmp/demo-home/datasets/imdb.jsonl
 * </pre>
 *
 * The argument is a JSON-lines file of reviews; the first 3,000 {@code text} fields are the benign
 * free text, sent as form bodies, and their first six words benign search queries, sent as query
 * parameters. The attack lists are Debian's {@code wfuzz} wordlists and the user agents {@code
 * sqlmap}'s list. It prints one Markdown table per detector (about 4 minutes on 2 cores): CRS alone
 * at paranoia level 1, then level 2, then Sluice's inspector, e.g. for the inspector
 *
 * <pre>
 * | wfuzz SQL.txt | sqli | 50/125 | recall 40.0% |
 * | wfuzz SQL.txt, complete payloads only | sqli | 46/54 | recall 85.2% |
 * | wfuzz XSS.txt | xss | 38/39 | recall 97.4% |
 * | wfuzz Traversal.txt | traversal | 66/68 | recall 97.1% |
 * | IMDB reviews (first 3000) | benign | 0/3000 | false positives 0.0% |
 * </pre>
 *
 * {@code docs/security-detection.md} explains the method and every figure.
 */
public final class EvaluateMain {
  static final Path WFUZZ = Path.of("/usr/share/wfuzz/wordlist/Injections");
  static final Path USER_AGENTS = Path.of("/usr/share/sqlmap/data/txt/user-agents.txt");
  static final int REVIEWS = 3000;
  static final int QUERY_WORDS = 6;

  private EvaluateMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: EvaluateMain REVIEWS.jsonl");
      System.exit(2);
    }
    List<Corpus> corpora = defaultCorpora(Path.of(args[0]));
    for (int paranoia = 1; paranoia <= 2; paranoia++) {
      try (ModSecurityEngine engine = CoreRuleSet.DEBIAN.load(paranoia)) {
        List<Score> scores = Evaluation.run(new CrsAnchor(engine), corpora);
        System.out.println("CRS 3.3.4 alone, paranoia level " + paranoia + ", blocked or not");
        System.out.println(Evaluation.table("blocked", scores));
      }
    }
    try (Inspector inspector = Inspector.open()) {
      List<Score> scores = Evaluation.run(new InspectorDetector(inspector), corpora);
      System.out.println("Sluice inspector (field-aware), findings of the list's class");
      System.out.println(Evaluation.table("found", scores));
    }
  }

  static List<Corpus> defaultCorpora(Path reviews) {
    List<Corpus> corpora = new ArrayList<>();
    Corpus sql = attackList("SQL.txt", "sqli");
    corpora.add(sql);
    corpora.add(
        new Corpus(
            "wfuzz SQL.txt, complete payloads only",
            "sqli",
            Delivery.QUERY_PARAMETER,
            sql.entries().stream().filter(CompleteSqlPayloads::isComplete).toList()));
    corpora.add(attackList("XSS.txt", "xss"));
    corpora.add(attackList("Traversal.txt", "traversal"));
    List<String> texts = Corpus.jsonLinesField(reviews, "text", REVIEWS);
    corpora.add(
        new Corpus("IMDB reviews (first " + REVIEWS + ")", null, Delivery.FORM_BODY, texts));
    corpora.add(
        new Corpus(
            "their first " + QUERY_WORDS + " words as search queries",
            null,
            Delivery.QUERY_PARAMETER,
            texts.stream().map(EvaluateMain::firstWords).toList()));
    corpora.add(
        new Corpus(
            "sqlmap user-agents.txt",
            null,
            Delivery.USER_AGENT,
            Corpus.lines(USER_AGENTS, true, Integer.MAX_VALUE)));
    return corpora;
  }

  /** The first words of a review, as a benign search query: a parameter that is not an attack. */
  static String firstWords(String text) {
    String[] words = text.strip().split("\\s+", QUERY_WORDS + 1);
    return String.join(
        " ", java.util.Arrays.asList(words).subList(0, Math.min(QUERY_WORDS, words.length)));
  }

  private static Corpus attackList(String file, String attackClass) {
    return new Corpus(
        "wfuzz " + file,
        attackClass,
        Delivery.QUERY_PARAMETER,
        Corpus.lines(WFUZZ.resolve(file), false, Integer.MAX_VALUE));
  }
}
