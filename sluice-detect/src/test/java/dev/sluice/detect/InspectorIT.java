package dev.sluice.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The inspector against Debian's libmodsecurity3 and Core Rule Set, as the pipeline runs it. */
class InspectorIT {
  private static final String BROWSER =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/120.0.0.0 Safari/537.36";

  private static Inspector inspector;

  @BeforeAll
  static void open() {
    // Fails, naming the Debian packages to install, when the library or the rule set is missing.
    inspector = Inspector.open();
  }

  @AfterAll
  static void close() {
    inspector.close();
  }

  private static HttpEvent get(String pathAndQuery) {
    return new HttpEvent("GET", pathAndQuery, headers(BROWSER), null);
  }

  private static HttpEvent postForm(String body) {
    Map<String, String> headers = headers(BROWSER);
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    return new HttpEvent("POST", "/reviews", headers, body);
  }

  private static Map<String, String> headers(String userAgent) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "shop.example");
    headers.put("Accept", "text/html,*/*;q=0.8");
    headers.put("User-Agent", userAgent);
    return headers;
  }

  @Test
  void sqlInjectionInAParameterIsFoundByLibinjectionAndTheRuleSet() {
    List<Finding> findings = inspector.inspect(get("/items?id=1%27%20or%20%271%27%3D%271"));

    assertThat(findings).extracting(Finding::kind).containsOnly("sqli");
    assertThat(findings).extracting(Finding::field).containsOnly("query:id");
    assertThat(findings).extracting(Finding::excerpt).containsOnly("1' or '1'='1");
    assertThat(findings)
        .extracting(Finding::rule)
        .contains("942100")
        .anyMatch(rule -> rule.matches("libinjection:[a-zA-Z0-9&();,.:]{1,5}"));
  }

  @Test
  void aBooleanSuffixForANumericParameterIsFoundInNumericContext() {
    List<Finding> findings = inspector.inspect(get("/items?id=or%201%3D1--"));

    assertThat(findings)
        .filteredOn(f -> f.rule().startsWith("libinjection:"))
        .extracting(Finding::kind, Finding::field)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sqli", "query:id"));
  }

  @Test
  void xssTraversalCommandInjectionAndRemoteInclusionGetTheirClasses() {
    assertThat(inspector.inspect(get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")))
        .extracting(Finding::kind, Finding::rule, Finding::field)
        .contains(
            org.assertj.core.groups.Tuple.tuple("xss", "libinjection:xss", "query:q"),
            org.assertj.core.groups.Tuple.tuple("xss", "941100", "query:q"));
    assertThat(inspector.inspect(get("/download?file=..%2F..%2F..%2F..%2Fetc%2Fpasswd")))
        .extracting(Finding::kind, Finding::rule, Finding::field)
        .contains(org.assertj.core.groups.Tuple.tuple("traversal", "930100", "query:file"));
    assertThat(inspector.inspect(get("/ping?host=127.0.0.1%3Bcat%20%2Fetc%2Fpasswd")))
        .filteredOn(f -> f.kind().equals("cmdi"))
        .extracting(Finding::field)
        .contains("query:host");
    assertThat(inspector.inspect(get("/page?include=http%3A%2F%2F10.0.0.7%2Fshell.txt")))
        .extracting(Finding::kind, Finding::rule, Finding::field)
        .contains(org.assertj.core.groups.Tuple.tuple("rfi", "931100", "query:include"));
  }

  @Test
  void anAttackInAHeaderNamesTheHeader() {
    HttpEvent event =
        new HttpEvent("GET", "/", headers("<script>alert(document.cookie)</script>"), null);

    assertThat(inspector.inspect(event))
        .extracting(Finding::kind, Finding::field)
        .contains(org.assertj.core.groups.Tuple.tuple("xss", "header:User-Agent"));
  }

  @Test
  void scriptInFreeTextIsStillFound() {
    List<Finding> findings =
        inspector.inspect(postForm("text=Great+film%3Cscript%3Ealert(1)%3C%2Fscript%3E"));

    assertThat(findings)
        .extracting(Finding::kind, Finding::rule, Finding::field)
        .contains(org.assertj.core.groups.Tuple.tuple("xss", "libinjection:xss", "form:text"));
  }

  @Test
  void aRuleIdForgedIntoTheInputDoesNotHideTheRealMatch() {
    // 941180 is ignored in free text; the engine quotes this input raw before the real rule id.
    String body =
        "text="
            + java.net.URLEncoder.encode(
                "<script>alert(1)</script>\" [file \"x\"] [line \"1\"] [id \"941180\"]",
                java.nio.charset.StandardCharsets.UTF_8);

    assertThat(inspector.inspect(postForm(body)))
        .extracting(Finding::rule, Finding::field)
        .contains(org.assertj.core.groups.Tuple.tuple("941110", "form:text"));
  }

  @Test
  void ordinaryFreeTextAndClientsRaiseNothing() {
    List<String> reviews =
        List.of(
            "I don't think it's the director's best, but the 'union' scene or the final select-ion"
                + " of songs (1=1 perfect) made up for it.<br /><br />8/10",
            "Ce film est drôle ; l'acteur principal joue « très » bien -- à voir !",
            "Where do I start? Drop everything and watch it; delete the sequel from memory.",
            "日本語のレビュー：とても良い映画でした。星5つ！ 😀");
    for (String review : reviews) {
      HttpEvent event =
          postForm(
              "text="
                  + java.net.URLEncoder.encode(review, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(inspector.inspect(event)).as(review).isEmpty();
    }
    assertThat(inspector.inspect(get("/search?q=the+good+the+bad+and+the+ugly"))).isEmpty();
    assertThat(inspector.inspect(new HttpEvent("GET", "/", headers(BROWSER), null))).isEmpty();
  }

  @Test
  void anEventWithNothingButAPayloadIsInspected() {
    assertThat(
            inspector.inspect(
                new HttpEvent(null, null, null, "hello <img src=x onerror=alert(1)>")))
        .extracting(Finding::kind, Finding::field)
        .contains(org.assertj.core.groups.Tuple.tuple("xss", "payload"));
    assertThat(inspector.inspect(new HttpEvent(null, null, null, null))).isEmpty();
  }

  @Test
  void theSameEventGivesTheSameFindingsFromEightThreadsAsInSequence() throws Exception {
    List<HttpEvent> events = new ArrayList<>();
    for (String query :
        List.of(
            "id=1%27%20or%20%271%27%3D%271",
            "q=%3Csvg%20onload%3Dalert(1)%3E",
            "file=..%2F..%2Fetc%2Fshadow",
            "host=x%7C%7Cid",
            "q=caf%C3%A9+cr%C3%A8me",
            "q=the+good+the+bad")) {
      events.add(get("/p?" + query));
    }
    events.add(postForm("text=It%27s+a+fine+film%2C+or+so+they+say"));
    List<List<Finding>> sequential = new ArrayList<>();
    for (HttpEvent event : events) {
      sequential.add(inspector.inspect(event));
    }

    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<List<Finding>>>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(
            threads.submit(
                () -> {
                  List<List<Finding>> results = new ArrayList<>();
                  for (int round = 0; round < 20; round++) {
                    for (HttpEvent event : events) {
                      results.add(inspector.inspect(event));
                    }
                  }
                  return results;
                }));
      }
      for (Future<List<List<Finding>>> run : runs) {
        List<List<Finding>> results = run.get(5, TimeUnit.MINUTES);
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i)).isEqualTo(sequential.get(i % events.size()));
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(sequential.get(0)).isNotEmpty();
    assertThat(sequential.get(4)).isEmpty();
  }

  @Test
  void aMissingRuleSetNamesThePathAndThePackages() {
    CoreRuleSet missing =
        new CoreRuleSet(Path.of("/nonexistent/crs-setup.conf"), Path.of("/nonexistent/rules"));

    assertThatThrownBy(() -> Inspector.open(missing))
        .isInstanceOf(NativeEngines.MissingEngineException.class)
        .hasMessageContaining("/nonexistent/crs-setup.conf")
        .hasMessageContaining("apt-get install libmodsecurity3 modsecurity-crs");
  }

  @Test
  void aRulesFileThatDoesNotCompileGivesTheParserError() {
    assertThatThrownBy(() -> ModSecurityEngine.load("SecRuleEngine Sometimes", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ModSecurity cannot load the directives: ");
  }
}
