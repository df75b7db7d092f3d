package dev.sluice.bench.detect;

import dev.sluice.core.security.SensorEvent;
import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.HttpRequest;
import dev.sluice.detect.UrlEncodedForm;
import dev.sluice.detect.eval.Delivery;
import dev.sluice.loadgen.security.AttackWordlists;
import dev.sluice.loadgen.security.BenignTexts;
import dev.sluice.loadgen.security.Scenario;
import dev.sluice.loadgen.security.SensorTraffic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the detector benchmarks inspect, built once per benchmark process from real sources: the
 * simulator's ordinary traffic ({@link SensorTraffic}, scenario {@code normal}, a fixed seed),
 * every payload of Debian's wfuzz lists as the evaluation sends it (a query parameter), and IMDB
 * reviews as form bodies.
 *
 * @param ordinary the simulator's ordinary events as the inspector sees them; a sixth or so are a
 *     network sensor's connection records, with no request part
 * @param attacks one {@code GET /search?q=<payload>} per wfuzz payload the simulator sends
 * @param reviews one form-encoded {@code POST /reviews} per review
 * @param payloads the wfuzz payloads, decoded as the application would read them
 * @param uris the URIs (path and query) of the ordinary requests, for a URI-only transaction
 * @param forms the ordinary requests with a form body, whole, for a full transaction
 */
record DetectorInputs(
    List<HttpEvent> ordinary,
    List<HttpEvent> attacks,
    List<HttpEvent> reviews,
    List<String> payloads,
    List<HttpRequest> uris,
    List<HttpRequest> forms) {
  static final int ORDINARY_EVENTS = 5_000;
  static final int REVIEWS = 1_000;
  static final long SEED = 20_261_130L;

  DetectorInputs {
    ordinary = List.copyOf(ordinary);
    attacks = List.copyOf(attacks);
    reviews = List.copyOf(reviews);
    payloads = List.copyOf(payloads);
    uris = List.copyOf(uris);
    forms = List.copyOf(forms);
  }

  /** The inputs, from the wfuzz and sqlmap lists Debian installs and the IMDB reviews. */
  static DetectorInputs load(Path datasets) {
    AttackWordlists lists = AttackWordlists.debian();
    List<String> texts = BenignTexts.imdb(datasets, lists.allPayloads());
    SensorTraffic traffic =
        new SensorTraffic(
            new SensorTraffic.Settings(
                Scenario.NORMAL, SEED, 0, Long.MAX_VALUE / 2, 1_000, "bench"),
            lists,
            texts);
    List<HttpEvent> ordinary = new ArrayList<>();
    while (ordinary.size() < ORDINARY_EVENTS) {
      SensorEvent event = traffic.next().event();
      ordinary.add(new HttpEvent(event.method(), event.path(), event.headers(), event.payload()));
    }
    List<HttpEvent> attacks = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    for (String payload : lists.allPayloads()) {
      attacks.add(Delivery.QUERY_PARAMETER.event(payload));
      payloads.add(UrlEncodedForm.decode(payload));
    }
    List<HttpEvent> reviews = texts.stream().limit(REVIEWS).map(Delivery.FORM_BODY::event).toList();
    List<HttpRequest> uris = new ArrayList<>();
    List<HttpRequest> forms = new ArrayList<>();
    for (HttpEvent event : ordinary) {
      if (event.path() != null) {
        uris.add(new HttpRequest("GET", event.path(), List.of(), new byte[0]));
      }
      if (event.payload() != null
          && event.header("Content-Type").orElse("").startsWith("application/x-www-form")) {
        forms.add(request(event));
      }
    }
    return new DetectorInputs(ordinary, attacks, reviews, payloads, uris, forms);
  }

  /** {@code event} as the whole request a ModSecurity transaction sees. */
  static HttpRequest request(HttpEvent event) {
    return new HttpRequest(
        event.method(),
        event.path(),
        List.copyOf(event.headers().entrySet()).stream()
            .map(header -> Map.entry(header.getKey(), header.getValue()))
            .toList(),
        event.payload().getBytes(StandardCharsets.UTF_8));
  }
}
