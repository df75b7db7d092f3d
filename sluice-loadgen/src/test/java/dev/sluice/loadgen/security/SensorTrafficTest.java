package dev.sluice.loadgen.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.security.SensorEvent;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.loadgen.DatasetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator's traffic without Kafka: valid events, exact truth, the stated rates. */
class SensorTrafficTest {
  private static final long START = 1_800_000_000_000L;

  private static AttackWordlists lists;
  private static List<String> texts;

  @BeforeAll
  static void load() throws URISyntaxException {
    // The real lists: the test fails with the apt-get command when wfuzz or sqlmap is missing.
    lists = AttackWordlists.debian();
    texts = BenignTexts.file(benignTextsFile(), lists.allPayloads());
  }

  static Path benignTextsFile() throws URISyntaxException {
    return Path.of(SensorTrafficTest.class.getResource("benign-texts.txt").toURI());
  }

  /** Everything a run produced, in order. */
  record Run(List<SensorEvent> events, List<AttackTruth> truths, List<Object> order) {
    Map<String, SensorEvent> byId() {
      Map<String, SensorEvent> byId = new HashMap<>();
      events.forEach(e -> byId.put(e.id(), e));
      return byId;
    }
  }

  static Run generate(Scenario scenario, long seed, long durationMillis, int perSecond) {
    SensorTraffic traffic =
        new SensorTraffic(
            new SensorTraffic.Settings(scenario, seed, START, durationMillis, perSecond, "t"),
            lists,
            texts);
    return drain(traffic, Long.MAX_VALUE);
  }

  static Run drain(SensorTraffic traffic, long maxEvents) {
    List<SensorEvent> events = new ArrayList<>();
    List<AttackTruth> truths = new ArrayList<>();
    List<Object> order = new ArrayList<>();
    // Bounded: a run of these settings has far fewer items.
    for (int i = 0; i < 1_000_000; i++) {
      if (events.size() >= maxEvents) {
        traffic.finish();
      }
      SensorTraffic.Item item = traffic.next();
      if (item == null) {
        return new Run(events, truths, order);
      }
      assertThat(item.event() == null).isNotEqualTo(item.truth() == null);
      if (item.event() != null) {
        events.add(item.event());
        order.add(item.event());
      } else {
        truths.add(item.truth());
        order.add(item.truth());
      }
    }
    throw new AssertionError("the traffic did not end within 1,000,000 items");
  }

  @Test
  void theWordlistsKeepCompletePayloadsOnly() {
    assertThat(lists.payloads(AttackClass.SQLI))
        .contains("admin'--", "' or 1=1--", "' UNION SELECT", "'; exec master..xp_cmdshell")
        .doesNotContain("'", "\"", "--", "select", "or", "order by", "exec xp", "@variable");
    assertThat(lists.payloads(AttackClass.XSS)).contains("<script>alert(\"WXSS\")</script>");
    assertThat(lists.payloads(AttackClass.TRAVERSAL))
        .contains("../../../../../../../../../../../../etc/passwd");
    assertThat(lists.payloads(AttackClass.CMDI))
        .contains(";id;", "|ls -la", "`id`")
        .doesNotContain("id%00", "?x=|")
        .noneMatch(p -> p.contains("<"))
        .noneMatch(p -> p.startsWith("ABCD|%8.8x"));
    assertThat(lists.userAgents()).hasSizeGreaterThan(1_000).noneMatch(a -> a.startsWith("#"));
  }

  @Test
  void aMissingWordlistNamesThePackageToInstall() {
    Path nowhere = Path.of("/nonexistent/Injections");
    assertThatThrownBy(() -> AttackWordlists.load(nowhere, AttackWordlists.DEBIAN_USER_AGENTS))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "/nonexistent/Injections/SQL.txt is missing: the sensor simulator takes its attacks"
                + " and user agents from Debian's wfuzz and sqlmap; install them with: apt-get"
                + " install -y --no-install-recommends wfuzz");
  }

  @Test
  void benignTextsLeaveOutTextsThatHoldAPayload() {
    assertThat(texts).hasSize(7).noneMatch(t -> t.contains("<script>"));
    assertThat(texts).anyMatch(t -> t.contains("東京"));
  }

  @Test
  void everyEventDecodesToItselfWithAddressesInDocumentationAndPrivateRanges() {
    Run run = generate(Scenario.MIXED, 3, 130_000, 50);

    assertThat(run.events()).hasSizeGreaterThan(130 * 50);
    for (SensorEvent event : run.events()) {
      SensorEventCodec.Decoded decoded = SensorEventCodec.decode(SensorEventCodec.encode(event));
      assertThat(decoded.reason()).as("%s", event).isNull();
      assertThat(decoded.event()).isEqualTo(event);
      assertThat(event.ts()).isBetween(START, START + 130_000 - 1);
      assertThat(event.src()).matches(SensorTrafficTest::documentationOrPrivate);
      assertThat(event.dst())
          .matches(d -> d.startsWith("10.0.1.") || d.matches("[a-z]+\\.example\\.(com|org|net)"));
    }
    assertThat(run.events()).extracting(SensorEvent::id).doesNotHaveDuplicates();
    // Event time never goes back, so a watermark never drops the simulator's own events.
    for (int i = 1; i < run.events().size(); i++) {
      assertThat(run.events().get(i).ts()).isGreaterThanOrEqualTo(run.events().get(i - 1).ts());
    }
  }

  @Test
  void theTruthNamesExactlyTheAttackEventsAfterTheirLastOne() {
    Run run = generate(Scenario.MIXED, 3, 130_000, 50);
    Map<String, SensorEvent> byId = run.byId();

    // Attacks start at 5, 25, ..., 125 s: sqli, xss, dos, traversal, cmdi, ddos, sqli.
    assertThat(run.truths())
        .extracting(AttackTruth::attackClass)
        .containsOnly(
            AttackClass.SQLI,
            AttackClass.XSS,
            AttackClass.DOS,
            AttackClass.TRAVERSAL,
            AttackClass.CMDI,
            AttackClass.DDOS);
    Map<AttackClass, Long> perClass =
        run.truths().stream()
            .collect(Collectors.groupingBy(AttackTruth::attackClass, Collectors.counting()));
    assertThat(perClass)
        .containsEntry(AttackClass.SQLI, 2L * SensorTraffic.INJECTION_PAYLOADS)
        .containsEntry(AttackClass.XSS, (long) SensorTraffic.INJECTION_PAYLOADS)
        .containsEntry(AttackClass.DOS, 1L)
        .containsEntry(AttackClass.DDOS, 1L);
    Set<String> attackEvents = new HashSet<>();
    for (AttackTruth truth : run.truths()) {
      assertThat(truth.events()).isNotEmpty();
      for (String id : truth.events()) {
        assertThat(attackEvents.add(id)).as("%s in one attack only", id).isTrue();
        assertThat(run.order().indexOf(byId.get(id)))
            .as("event %s comes before its truth", id)
            .isLessThan(run.order().indexOf(truth));
      }
      List<SensorEvent> events = truth.events().stream().map(byId::get).toList();
      assertThat(events).doesNotContainNull();
      assertThat(truth.onset()).isEqualTo(events.get(0).ts());
      assertThat(truth.end()).isEqualTo(events.get(events.size() - 1).ts());
      assertThat(events).allSatisfy(e -> assertThat(e.dst()).isEqualTo(truth.target()));
      assertThat(truth.sources())
          .containsExactlyElementsOf(
              events.stream()
                  .map(SensorEvent::src)
                  .collect(Collectors.toCollection(LinkedHashSet::new)));
      if (truth.attackClass().injection()) {
        assertThat(events).hasSize(1);
        assertThat(carries(events.get(0), truth.field(), truth.payload()))
            .as("%s carries %s in %s", events.get(0), truth.payload(), truth.field())
            .isTrue();
        assertThat(lists.payloads(truth.attackClass())).contains(truth.payload());
      }
    }
    // Exactly the attack events come from attacker addresses, which no client has.
    assertThat(
            run.events().stream()
                .filter(e -> attacker(e.src()))
                .map(SensorEvent::id)
                .collect(Collectors.toSet()))
        .isEqualTo(attackEvents);
  }

  @Test
  void floodsKeepTheirStatedRates() {
    Run run = generate(Scenario.MIXED, 11, 130_000, 50);
    Map<String, SensorEvent> byId = run.byId();

    AttackTruth dos = single(run, AttackClass.DOS);
    assertThat(dos.sources()).hasSize(1);
    assertThat(dos.events())
        .hasSize((int) (SensorTraffic.DOS_PER_SECOND * SensorTraffic.FLOOD_MILLIS / 1000));
    assertThat(dos.end() - dos.onset()).isLessThan(SensorTraffic.FLOOD_MILLIS);

    AttackTruth ddos = single(run, AttackClass.DDOS);
    assertThat(ddos.sources()).hasSize(SensorTraffic.DDOS_SOURCES);
    Map<String, List<Long>> timesPerSource = new HashMap<>();
    for (String id : ddos.events()) {
      SensorEvent event = byId.get(id);
      timesPerSource.computeIfAbsent(event.src(), s -> new ArrayList<>()).add(event.ts());
    }
    int busiest = 0;
    for (List<Long> times : timesPerSource.values()) {
      busiest = Math.max(busiest, maxInAnySecond(times));
    }
    assertThat(busiest)
        .as("events of one source in any 1-second window [t, t + 1000)")
        .isEqualTo(SensorTraffic.DDOS_MAX_PER_SOURCE_PER_SECOND);
    assertThat(ddos.events().size() * 1000.0 / SensorTraffic.FLOOD_MILLIS)
        .as("all sources together, per second")
        .isEqualTo(600.0);
    // Far above any ordinary client, so per-source detection can tell a flood from a client...
    Map<String, List<Long>> clients = new HashMap<>();
    run.events().stream()
        .filter(e -> !attacker(e.src()))
        .forEach(e -> clients.computeIfAbsent(e.src(), s -> new ArrayList<>()).add(e.ts()));
    int busiestClient =
        clients.values().stream().mapToInt(SensorTrafficTest::maxInAnySecond).max().orElseThrow();
    assertThat(busiestClient).isLessThan(SensorTraffic.DOS_PER_SECOND / 10);
    // ...while a distributed flood's source is no busier than the busiest clients.
    assertThat(SensorTraffic.DDOS_MAX_PER_SOURCE_PER_SECOND).isLessThanOrEqualTo(busiestClient);
  }

  @Test
  void ordinaryTrafficCarriesNoPayloadOfAnyWordlist() {
    Run run = generate(Scenario.MIXED, 5, 130_000, 50);
    Set<String> attackEvents =
        run.truths().stream().flatMap(t -> t.events().stream()).collect(Collectors.toSet());
    List<String> forms = new ArrayList<>();
    for (String payload : lists.allPayloads()) {
      forms.add(payload.toLowerCase(Locale.ROOT));
      forms.add(SensorTraffic.urlComponent(payload).toLowerCase(Locale.ROOT));
    }
    List<SensorEvent> ordinary =
        run.events().stream().filter(e -> !attackEvents.contains(e.id())).toList();
    assertThat(ordinary).hasSizeGreaterThan(6_000);
    assertThat(ordinary).anyMatch(e -> e.payload() != null && e.payload().contains("%E6%9D%B1"));
    for (SensorEvent event : ordinary) {
      List<String> fields = new ArrayList<>();
      fields.add(event.path());
      fields.add(event.payload());
      if (event.headers() != null) {
        fields.addAll(event.headers().values());
      }
      for (String field : fields) {
        if (field != null) {
          String lower = field.toLowerCase(Locale.ROOT);
          for (String form : forms) {
            assertThat(lower).as("ordinary event %s", event.id()).doesNotContain(form);
          }
        }
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameTrafficAndAnotherSeedOther() {
    Run first = generate(Scenario.INJECTION, 42, 9_000, 100);
    Run again = generate(Scenario.INJECTION, 42, 9_000, 100);
    Run other = generate(Scenario.INJECTION, 43, 9_000, 100);

    assertThat(again.events()).isEqualTo(first.events());
    assertThat(again.truths()).isEqualTo(first.truths());
    assertThat(other.events()).isNotEqualTo(first.events());
    // Injection attempts at 1, 3, 5, 7 s: sqli, xss, traversal, cmdi.
    assertThat(first.truths())
        .extracting(AttackTruth::attackClass)
        .containsExactlyElementsOf(
            Stream.of(AttackClass.SQLI, AttackClass.XSS, AttackClass.TRAVERSAL, AttackClass.CMDI)
                .flatMap(c -> Stream.generate(() -> c).limit(SensorTraffic.INJECTION_PAYLOADS))
                .toList());
  }

  @Test
  void theNormalScenarioHasNoAttacksAndKeepsTheRate() {
    Run run = generate(Scenario.NORMAL, 1, 4_000, 250);
    assertThat(run.truths()).isEmpty();
    assertThat(run.events()).hasSize(1_000);
    assertThat(run.events()).noneMatch(e -> attacker(e.src()));
  }

  @Test
  void aRunCutShortByACountGetsTheTruthOfWhatItSent() {
    SensorTraffic traffic =
        new SensorTraffic(
            new SensorTraffic.Settings(Scenario.DDOS, 9, START, 60_000, 20, "c"), lists, texts);
    // Ordinary events before the flood at 5 s, then 1,000 into the flood.
    Run run = drain(traffic, 100 + 1_000);

    assertThat(run.events()).hasSize(1_100);
    AttackTruth ddos = single(run, AttackClass.DDOS);
    List<String> floodEvents =
        run.events().stream().filter(e -> attacker(e.src())).map(SensorEvent::id).toList();
    assertThat(ddos.events()).isEqualTo(floodEvents).hasSizeGreaterThan(900);
    assertThat(ddos.end()).isEqualTo(run.byId().get(floodEvents.get(floodEvents.size() - 1)).ts());
    assertThat(run.order().get(run.order().size() - 1)).isEqualTo(ddos);
  }

  @Test
  void aDurationShorterThanAFloodCutsItAtTheEnd() {
    Run run = generate(Scenario.DOS, 2, 8_000, 10);
    AttackTruth dos = single(run, AttackClass.DOS);
    assertThat(dos.onset()).isEqualTo(START + 5_000);
    assertThat(dos.end()).isLessThan(START + 8_000);
    assertThat(dos.events()).hasSize(3 * SensorTraffic.DOS_PER_SECOND);
  }

  private static AttackTruth single(Run run, AttackClass attackClass) {
    List<AttackTruth> found =
        run.truths().stream().filter(t -> t.attackClass() == attackClass).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** The most timestamps in any half-open window of one second. */
  static int maxInAnySecond(List<Long> times) {
    List<Long> sorted = times.stream().sorted().toList();
    int max = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (sorted.get(to) - sorted.get(from) >= 1000) {
        from++;
      }
      max = Math.max(max, to - from + 1);
    }
    return max;
  }

  private static boolean carries(SensorEvent event, String field, String payload) {
    String where = field.substring(field.indexOf(':') + 1);
    if (field.startsWith("query:")) {
      return event.path().contains(where + "=" + SensorTraffic.urlComponent(payload));
    }
    if (field.startsWith("body:")) {
      return event.payload().startsWith(where + "=" + SensorTraffic.urlComponent(payload));
    }
    return payload.equals(event.headers().get(where));
  }

  static boolean attacker(String address) {
    return address.startsWith("192.0.2.")
        || address.startsWith("10.200.")
        || address.startsWith("2001:db8:bad:");
  }

  private static boolean documentationOrPrivate(String address) {
    return address.startsWith("192.0.2.")
        || address.startsWith("198.51.100.")
        || address.startsWith("203.0.113.")
        || address.startsWith("10.")
        || address.startsWith("2001:db8:");
  }
}
