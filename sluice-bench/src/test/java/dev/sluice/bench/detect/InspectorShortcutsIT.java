package dev.sluice.bench.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.detect.CoreRuleSet;
import dev.sluice.detect.Finding;
import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.Inspector;
import dev.sluice.detect.eval.Corpus;
import dev.sluice.detect.eval.Delivery;
import dev.sluice.spark.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inspector {@link Inspector#open()} gives (attack rule files only, events with no request part
 * worked out once) against {@link Inspector#openComplete} (every request rule file, every event
 * through a transaction): the same findings, in the same order, for every entry of the real corpora
 * the evaluation uses, each sent the ways the pipeline receives it. A shortcut that dropped a
 * finding, or added one, fails here with the event.
 *
 * <p>It lives beside the detectors' benchmark rather than in {@code sluice-detect} because its
 * inputs do: the IMDB reviews come from {@link TestData} (fetched on first use by {@code
 * sluice-loadgen}), and the benchmark's own ordinary traffic is checked too.
 */
class InspectorShortcutsIT {
  private static final Path WFUZZ = Path.of("/usr/share/wfuzz/wordlist/Injections");
  private static final Path USER_AGENTS = Path.of("/usr/share/sqlmap/data/txt/user-agents.txt");
  private static final int REVIEWS = 1_500;

  private static Inspector fast;
  private static Inspector complete;

  @BeforeAll
  static void open() {
    fast = Inspector.open();
    complete = Inspector.openComplete(CoreRuleSet.DEBIAN);
  }

  @AfterAll
  static void close() {
    fast.close();
    complete.close();
  }

  @Test
  void everyWfuzzPayloadGetsTheCompleteFindingsAsParameterFormFieldAndHeader() {
    List<HttpEvent> events = new ArrayList<>();
    for (String list : List.of("SQL.txt", "XSS.txt", "Traversal.txt", "All_attack.txt")) {
      for (String payload : lines(WFUZZ.resolve(list), false)) {
        events.add(Delivery.QUERY_PARAMETER.event(payload));
        events.add(Delivery.FORM_BODY.event(payload));
        events.add(Delivery.USER_AGENT.event(payload));
      }
    }

    int flagged = assertSameFindings(events);

    // The corpora must exercise the rules: most payloads are found somewhere.
    assertThat(flagged).isGreaterThan(events.size() / 3);
  }

  @Test
  void everySqlmapUserAgentGetsTheCompleteFindings() {
    List<HttpEvent> events =
        lines(USER_AGENTS, true).stream().map(Delivery.USER_AGENT::event).toList();

    assertThat(events).hasSizeGreaterThan(4_000);
    assertSameFindings(events);
  }

  @Test
  void imdbReviewsGetTheCompleteFindingsAsFormBodiesPayloadsAndSearchQueries() {
    List<HttpEvent> events = new ArrayList<>();
    for (String text : TestData.imdbReviews(0, REVIEWS).stream().map(Review::text).toList()) {
      events.add(Delivery.FORM_BODY.event(text));
      events.add(new HttpEvent(null, null, null, text));
      events.add(
          Delivery.QUERY_PARAMETER.event(
              String.join(" ", List.of(text.split("\\s+")).subList(0, 6))));
    }

    int flagged = assertSameFindings(events);

    // Free text is flagged rarely, but parameters keep every rule: a few queries are flagged.
    assertThat(flagged).isPositive();
  }

  @Test
  void theBenchmarksOrdinaryTrafficGetsTheCompleteFindings() {
    DetectorInputs inputs = DetectorInputs.load(TestData.imdb().getParent());

    assertSameFindings(inputs.ordinary().subList(0, 2_000));
  }

  @Test
  void eventsWithoutARequestPartGetWhatTheirTransactionGives() {
    List<HttpEvent> events = new ArrayList<>();
    events.add(new HttpEvent(null, null, null, null));
    events.add(new HttpEvent("GET", null, Map.of(), null));
    events.add(new HttpEvent("", null, null, null));
    // Near misses, which must take the full path: a method, a path, a header or a payload.
    events.add(new HttpEvent("DELETE", null, null, null));
    events.add(new HttpEvent(null, "/../../etc/passwd", null, null));
    events.add(new HttpEvent(null, null, Map.of("User-Agent", "<script>alert(1)</script>"), null));
    events.add(new HttpEvent(null, null, null, "<script>alert(1)</script>"));

    assertSameFindings(events);
    assertThat(fast.inspect(events.get(4))).extracting(Finding::kind).contains("traversal");
    assertThat(fast.inspect(events.get(5))).extracting(Finding::kind).contains("xss");
  }

  /** Asserts both inspectors agree on every event; returns how many events had findings. */
  private static int assertSameFindings(List<HttpEvent> events) {
    Map<HttpEvent, List<Finding>> differences = new LinkedHashMap<>();
    int flagged = 0;
    for (HttpEvent event : events) {
      List<Finding> expected = complete.inspect(event);
      List<Finding> actual = fast.inspect(event);
      if (!actual.equals(expected)) {
        differences.put(event, actual);
      }
      if (!expected.isEmpty()) {
        flagged++;
      }
    }
    assertThat(differences).as("events where the fast inspector differs").isEmpty();
    return flagged;
  }

  private static List<String> lines(Path file, boolean skipComments) {
    assertThat(file).as("install the lists with: apt-get install wfuzz sqlmap").isRegularFile();
    return Corpus.lines(file, skipComments, Integer.MAX_VALUE);
  }
}
