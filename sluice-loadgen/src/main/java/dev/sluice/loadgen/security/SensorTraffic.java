package dev.sluice.loadgen.security;

import dev.sluice.core.records.StorableText;
import dev.sluice.core.security.SensorEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The sensor simulator's traffic, one event at a time in event-time order, with the ground truth of
 * every attack right after the attack's last event. Ordinary traffic comes at a fixed rate from
 * {@value #CLIENTS} clients; attacks come on top of it at the scenario's times. Everything is drawn
 * from the seed: the same settings give the same events, ids and truth.
 *
 * <p>Addresses are documentation and private ranges only: clients in 198.51.100.0/24,
 * 203.0.113.0/24, 10.1.0.0 to 10.99.255.255 and 2001:db8:1::/48; servers in 10.0.1.0/24 and {@code
 * example.com/.org/.net}; injection and single-source flood attackers in 192.0.2.0/24; distributed
 * flood sources in 10.200.0.0/16 and 2001:db8:bad::/48. So attackers and clients never share an
 * address, and a source's events are either all ordinary or all attack.
 */
public final class SensorTraffic {
  static final int CLIENTS = 2_000;

  /** Payload events per injection attempt, {@link #INJECTION_SPACING_MILLIS} apart. */
  public static final int INJECTION_PAYLOADS = 6;

  static final long INJECTION_SPACING_MILLIS = 250;
  static final long FLOOD_MILLIS = 10_000;

  /** A single-source flood: far above any client (about 0.1/s each at the default rate). */
  static final int DOS_PER_SECOND = 200;

  static final int DDOS_SOURCES = 300;

  /**
   * Each distributed flood source sends one event every 500 ms: at most {@value
   * #DDOS_MAX_PER_SOURCE_PER_SECOND} in any second, low enough to pass for a busy client, while all
   * of them together send 600/s.
   */
  static final long DDOS_SOURCE_SPACING_MILLIS = 500;

  static final int DDOS_MAX_PER_SOURCE_PER_SECOND = 2;

  /** Longer texts are cut: a form body is rarely longer, and the limit is 64 KiB encoded. */
  static final int MAX_TEXT_CHARS = 4_000;

  private static final double NETWORK_SHARE = 0.15;

  private static final String[] APP_SENSORS = {"waf-edge-1", "waf-edge-2", "nginx-app-1"};
  private static final String[] WORDS = {
    "camera",
    "laptop",
    "garden",
    "chair",
    "kettle",
    "guitar",
    "jacket",
    "lamp",
    "novel",
    "phone",
    "coffee",
    "tent",
    "bicycle",
    "scarf",
    "blender",
    "headphones",
    "desk",
    "mirror",
    "pillow",
    "sneakers",
    "watch",
    "backpack",
    "speaker",
    "monitor",
    "keyboard",
    "charger",
    "umbrella",
    "candle",
    "teapot",
    "puzzle"
  };
  private static final String[] LANGUAGES = {
    "en-US,en;q=0.9",
    "de-DE,de;q=0.8,en;q=0.5",
    "fr-FR,fr;q=0.9",
    "ja-JP,ja;q=0.9,en;q=0.4",
    "es-ES,es;q=0.9",
    "en-GB,en;q=0.8"
  };
  private static final int[] NETWORK_PORTS = {22, 53, 123, 443, 5432, 6379};

  private record Target(String host, int port, String proto) {}

  private static final Target[] TARGETS = {
    new Target("shop.example.com", 443, "https"),
    new Target("api.example.org", 443, "https"),
    new Target("www.example.net", 80, "http"),
    new Target("10.0.1.20", 8080, "http")
  };

  /**
   * What to generate.
   *
   * @param startMillis event time of the first event, epoch ms
   * @param durationMillis events have event times in {@code [start, start + duration)}
   * @param perSecond ordinary events per second of event time; attacks come on top
   * @param runId prefix of every event and attack id, so two runs never share an id
   */
  public record Settings(
      Scenario scenario,
      long seed,
      long startMillis,
      long durationMillis,
      int perSecond,
      String runId) {
    public Settings {
      if (perSecond < 1 || durationMillis < 1) {
        throw new IllegalArgumentException("rate and duration must be at least 1");
      }
    }
  }

  /**
   * The next record to send: exactly one of {@code event} and {@code truth} is set. {@code paced}
   * marks an ordinary event, due at the ordinary rate; attack events and truth go out as soon as
   * their turn comes.
   */
  public record Item(SensorEvent event, boolean paced, AttackTruth truth) {}

  private final Settings settings;
  private final AttackWordlists lists;
  private final List<String> texts;
  private final SplittableRandom seeds;
  private final List<String> clients;
  private final List<Lane> lanes = new ArrayList<>();
  private final Deque<AttackTruth> truths = new ArrayDeque<>();
  private final long end;
  private long events;
  private long attacks;
  private boolean ended;

  /**
   * @param texts benign texts for bodies (see {@link BenignTexts}); none may hold a payload
   */
  public SensorTraffic(Settings settings, AttackWordlists lists, List<String> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no benign texts");
    }
    this.settings = settings;
    this.lists = lists;
    this.texts = List.copyOf(texts);
    this.seeds = new SplittableRandom(settings.seed());
    this.clients = clients(seeds.split());
    this.end = settings.startMillis() + settings.durationMillis();
    lanes.add(new Ordinary(seeds.split()));
  }

  /** The next record, or {@code null} when the run's event time is over. */
  public Item next() {
    while (true) {
      if (!truths.isEmpty()) {
        return new Item(null, false, truths.poll());
      }
      if (ended) {
        return null;
      }
      Lane lane = earliest();
      long onset = settings.startMillis() + settings.scenario().onsetMillis(attacks);
      if (settings.scenario().attack(attacks).isPresent()
          && onset < end
          && onset <= lane.nextTs()) {
        lanes.add(attack(settings.scenario().attack(attacks).orElseThrow(), onset));
        attacks++;
        continue;
      }
      if (lane.nextTs() >= end) {
        finish();
        continue;
      }
      SensorEvent event = lane.emit(settings.runId() + "-" + events++);
      if (lane.done()) {
        lanes.remove(lane);
        lane.close();
      }
      return new Item(event, lane instanceof Ordinary, null);
    }
  }

  /**
   * Ends the run early (a count reached, Ctrl-C): the truth of the attacks under way, covering the
   * events they sent so far, comes from the following {@link #next} calls.
   */
  public void finish() {
    for (Lane lane : lanes) {
      lane.close();
    }
    lanes.clear();
    ended = true;
  }

  private Lane earliest() {
    Lane earliest = null;
    for (Lane lane : lanes) {
      if (earliest == null || lane.nextTs() < earliest.nextTs()) {
        earliest = lane;
      }
    }
    return earliest;
  }

  private Lane attack(AttackClass attackClass, long onset) {
    SplittableRandom random = seeds.split();
    String id = settings.runId() + "-a" + attacks;
    Target target = TARGETS[random.nextInt(TARGETS.length)];
    return switch (attackClass) {
      case DOS -> new Flood(id, attackClass, target, random, onset, List.of(attacker(random)));
      case DDOS -> new Flood(id, attackClass, target, random, onset, bots(random));
      default -> new Injection(id, attackClass, target, random, onset);
    };
  }

  /** A source of events in event-time order. */
  private abstract static class Lane {
    abstract long nextTs();

    abstract SensorEvent emit(String id);

    boolean done() {
      return false;
    }

    /** Called once when the lane ends, early or not: adds the truth of what it sent. */
    void close() {}
  }

  private final class Ordinary extends Lane {
    private final SplittableRandom random;
    private long n;

    Ordinary(SplittableRandom random) {
      this.random = random;
    }

    @Override
    long nextTs() {
      // From the start, not the previous event, so rounding never drifts (like Pacer).
      return settings.startMillis() + n * 1000 / settings.perSecond();
    }

    @Override
    SensorEvent emit(String id) {
      long ts = nextTs();
      n++;
      String src = clients.get(random.nextInt(clients.size()));
      if (random.nextDouble() < NETWORK_SHARE) {
        int port = NETWORK_PORTS[random.nextInt(NETWORK_PORTS.length)];
        return SensorEvent.connection(
            id,
            ts,
            "netflow-" + (1 + random.nextInt(2)),
            src,
            "10.0.1." + (10 + random.nextInt(20)),
            port,
            port == 53 || port == 123 ? "udp" : "tcp",
            40L + random.nextInt(1460));
      }
      Target target = TARGETS[random.nextInt(TARGETS.length)];
      return request(id, ts, src, target, ordinaryRequest(random, target), random);
    }
  }

  /** One attacker, one target, a few payloads of one class, each its own attack in the truth. */
  private final class Injection extends Lane {
    private final String id;
    private final AttackClass attackClass;
    private final Target target;
    private final SplittableRandom random;
    private final long onset;
    private final String src;
    private int sent;

    Injection(
        String id, AttackClass attackClass, Target target, SplittableRandom random, long onset) {
      this.id = id;
      this.attackClass = attackClass;
      this.target = target;
      this.random = random;
      this.onset = onset;
      this.src = attacker(random);
    }

    @Override
    long nextTs() {
      return onset + sent * INJECTION_SPACING_MILLIS;
    }

    @Override
    SensorEvent emit(String eventId) {
      long ts = nextTs();
      List<String> payloads = lists.payloads(attackClass);
      String payload = payloads.get(random.nextInt(payloads.size()));
      Placed placed = place(attackClass, payload, random);
      SensorEvent event = request(eventId, ts, src, target, placed.request(), random);
      truths.add(
          new AttackTruth(
              id + "." + sent,
              attackClass,
              List.of(src),
              target.host(),
              ts,
              ts,
              List.of(eventId),
              placed.field(),
              payload));
      sent++;
      return event;
    }

    @Override
    boolean done() {
      return sent >= INJECTION_PAYLOADS;
    }
  }

  /** Ordinary-looking requests from one or many sources, far too many of them together. */
  private final class Flood extends Lane {
    private final String id;
    private final AttackClass attackClass;
    private final Target target;
    private final SplittableRandom random;
    private final List<String> sources;
    private final String[] agents;
    private final long[] times;
    private final int[] senders;
    private final List<String> eventIds = new ArrayList<>();
    private final Set<String> seen = new LinkedHashSet<>();
    private int sent;

    Flood(
        String id,
        AttackClass attackClass,
        Target target,
        SplittableRandom random,
        long onset,
        List<String> sources) {
      this.id = id;
      this.attackClass = attackClass;
      this.target = target;
      this.random = random;
      this.sources = sources;
      // A flooding tool sends the same user agent every time.
      this.agents = new String[sources.size()];
      for (int i = 0; i < agents.length; i++) {
        agents[i] = userAgent(random);
      }
      if (sources.size() == 1) {
        int count = (int) (FLOOD_MILLIS * DOS_PER_SECOND / 1000);
        times = new long[count];
        senders = new int[count];
        for (int i = 0; i < count; i++) {
          times[i] = onset + (long) i * 1000 / DOS_PER_SECOND;
        }
      } else {
        int perSource = (int) (FLOOD_MILLIS / DDOS_SOURCE_SPACING_MILLIS);
        long[] keyed = new long[sources.size() * perSource];
        int k = 0;
        for (int s = 0; s < sources.size(); s++) {
          long phase = random.nextLong(DDOS_SOURCE_SPACING_MILLIS);
          for (int i = 0; i < perSource; i++) {
            long offset = phase + i * DDOS_SOURCE_SPACING_MILLIS;
            // Sorts by time, then source: both fit, offsets below 2^20 and sources below 2^12.
            keyed[k++] = (offset << 12) | s;
          }
        }
        Arrays.sort(keyed);
        times = new long[keyed.length];
        senders = new int[keyed.length];
        for (int i = 0; i < keyed.length; i++) {
          times[i] = onset + (keyed[i] >>> 12);
          senders[i] = (int) (keyed[i] & 0xfff);
        }
      }
    }

    @Override
    long nextTs() {
      return times[sent];
    }

    @Override
    SensorEvent emit(String eventId) {
      long ts = times[sent];
      String src = sources.get(senders[sent]);
      String agent = agents[senders[sent]];
      sent++;
      eventIds.add(eventId);
      seen.add(src);
      String path =
          switch (random.nextInt(3)) {
            case 0 -> "/";
            case 1 -> "/search?q=" + word(random);
            default -> "/products/" + (1 + random.nextInt(5000));
          };
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Host", target.host());
      headers.put("User-Agent", agent);
      headers.put("Accept", "*/*");
      return new SensorEvent(
          eventId,
          ts,
          APP_SENSORS[random.nextInt(APP_SENSORS.length)],
          src,
          target.host(),
          target.port(),
          target.proto(),
          "GET",
          path,
          headers,
          null,
          requestBytes("GET", path, headers, null));
    }

    @Override
    boolean done() {
      return sent >= times.length;
    }

    @Override
    void close() {
      if (sent > 0) {
        truths.add(
            new AttackTruth(
                id,
                attackClass,
                new ArrayList<>(seen),
                target.host(),
                times[0],
                times[sent - 1],
                eventIds,
                null,
                null));
      }
    }
  }

  /** A request before it becomes an event: method, path, extra headers and body. */
  private record Request(
      String method, String path, Map<String, String> headers, String body, String contentType) {}

  private record Placed(Request request, String field) {}

  private Request ordinaryRequest(SplittableRandom random, Target target) {
    int kind = random.nextInt(100);
    if (kind < 45) {
      String path =
          switch (random.nextInt(7)) {
            case 0 -> "/";
            case 1 -> "/index.html";
            case 2 -> "/products";
            case 3 -> "/products/" + (1 + random.nextInt(5000));
            case 4 -> "/reviews/" + (1 + random.nextInt(90_000));
            case 5 -> "/account";
            default -> "/cart";
          };
      return get(path);
    }
    if (kind < 65) {
      return get(
          switch (random.nextInt(3)) {
            case 0 ->
                "/search?q="
                    + word(random)
                    + "+"
                    + word(random)
                    + "&page="
                    + (1 + random.nextInt(5));
            case 1 ->
                "/api/v1/products?category="
                    + word(random)
                    + "&limit="
                    + (10 * (1 + random.nextInt(5)))
                    + "&sort=price";
            default -> "/api/v1/orders/" + (100_000 + random.nextInt(900_000));
          });
    }
    if (kind < 80) {
      String text = texts.get(random.nextInt(texts.size()));
      if (random.nextBoolean()) {
        return new Request(
            "POST",
            "/reviews",
            Map.of(),
            "title="
                + word(random)
                + "&rating="
                + (1 + random.nextInt(5))
                + "&text="
                + URLEncoder.encode(text, StandardCharsets.UTF_8),
            "application/x-www-form-urlencoded");
      }
      return new Request(
          "POST",
          "/api/v1/reviews",
          Map.of(),
          "{\"rating\":" + (1 + random.nextInt(5)) + ",\"text\":" + jsonString(text) + "}",
          "application/json");
    }
    if (kind < 92) {
      return get(
          random.nextBoolean()
              ? "/static/css/site.css"
              : "/images/" + word(random) + "-" + (1 + random.nextInt(400)) + ".jpg");
    }
    if (kind < 95) {
      return new Request("HEAD", "/", Map.of(), null, null);
    }
    if (kind < 97) {
      return new Request(
          "PUT",
          "/api/v1/cart/" + (1 + random.nextInt(5000)),
          Map.of(),
          "{\"qty\":" + (1 + random.nextInt(3)) + "}",
          "application/json");
    }
    if (kind < 99) {
      return new Request(
          "DELETE", "/api/v1/cart/" + (1 + random.nextInt(5000)), Map.of(), null, null);
    }
    return new Request(
        "OPTIONS",
        "/api/v1/cart",
        Map.of("Origin", "https://" + target.host(), "Access-Control-Request-Method", "PUT"),
        null,
        null);
  }

  /** Puts a payload where real attacks put it: a query parameter, a form field or a header. */
  private Placed place(AttackClass attackClass, String payload, SplittableRandom random) {
    int where = random.nextInt(10);
    String inUrl = urlComponent(payload);
    return switch (attackClass) {
      case SQLI ->
          where < 5
              ? query(
                  random.nextBoolean() ? "/products" : "/search",
                  random.nextBoolean() ? "id" : "q",
                  inUrl)
              : where < 8
                  ? form("/login", "user", inUrl, "&remember=1")
                  : header("User-Agent", payload, "/products/" + (1 + random.nextInt(5000)));
      case XSS ->
          where < 5
              ? query("/search", "q", inUrl)
              : where < 8
                  ? form("/reviews", "text", inUrl, "&rating=5")
                  : header("Referer", payload, "/search?q=" + word(random));
      case TRAVERSAL ->
          where < 7
              ? query(
                  random.nextBoolean() ? "/download" : "/static",
                  random.nextBoolean() ? "file" : "page",
                  inUrl)
              : form("/api/v1/export", "template", inUrl, "&format=pdf");
      case CMDI ->
          where < 7
              ? query("/tools/ping", "host", inUrl)
              : form("/tools/ping", "host", inUrl, "&count=3");
      default -> throw new IllegalArgumentException("not an injection: " + attackClass);
    };
  }

  private static Placed query(String path, String parameter, String value) {
    return new Placed(get(path + "?" + parameter + "=" + value), "query:" + parameter);
  }

  private static Placed form(String path, String parameter, String value, String rest) {
    return new Placed(
        new Request(
            "POST",
            path,
            Map.of(),
            parameter + "=" + value + rest,
            "application/x-www-form-urlencoded"),
        "body:" + parameter);
  }

  private static Placed header(String name, String value, String path) {
    return new Placed(new Request("GET", path, Map.of(name, value), null, null), "header:" + name);
  }

  private static Request get(String path) {
    return new Request("GET", path, Map.of(), null, null);
  }

  private SensorEvent request(
      String id, long ts, String src, Target target, Request request, SplittableRandom random) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", target.host());
    headers.put("User-Agent", userAgent(random));
    headers.put(
        "Accept",
        request.path().startsWith("/api/")
            ? "application/json"
            : "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
    headers.put("Accept-Language", LANGUAGES[random.nextInt(LANGUAGES.length)]);
    if (random.nextInt(10) < 4) {
      headers.put("Referer", "https://" + target.host() + "/products");
    }
    if (request.contentType() != null) {
      headers.put("Content-Type", request.contentType());
    }
    // An attack's header replaces the ordinary one of that name.
    headers.putAll(request.headers());
    return new SensorEvent(
        id,
        ts,
        APP_SENSORS[random.nextInt(APP_SENSORS.length)],
        src,
        target.host(),
        target.port(),
        target.proto(),
        request.method(),
        request.path(),
        headers,
        request.body(),
        requestBytes(request.method(), request.path(), headers, request.body()));
  }

  /** The size of the request in HTTP/1.1: request line, headers, blank line, body. */
  private static long requestBytes(
      String method, String path, Map<String, String> headers, String body) {
    long bytes = method.length() + 1 + utf8(path) + " HTTP/1.1\r\n".length() + 2;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      bytes += header.getKey().length() + 2 + utf8(header.getValue()) + 2;
    }
    return bytes + (body == null ? 0 : utf8(body));
  }

  private static long utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private String userAgent(SplittableRandom random) {
    return lists.userAgents().get(random.nextInt(lists.userAgents().size()));
  }

  private static String word(SplittableRandom random) {
    return WORDS[random.nextInt(WORDS.length)];
  }

  /**
   * A payload as an attack tool puts it into a URL: characters a URL cannot hold, and those that
   * would end the parameter ({@code & = + #}), percent-encoded as UTF-8; everything else, {@code %}
   * included, as the wordlist has it, so a list's own encodings ({@code %27}, {@code %00}) reach
   * the server as they would.
   */
  static String urlComponent(String payload) {
    StringBuilder out = new StringBuilder(payload.length() + 16);
    for (byte b : payload.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$'()*,;:@/?%".indexOf(c) >= 0;
      if (keep) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  private static String jsonString(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String attacker(SplittableRandom random) {
    return "192.0.2." + (1 + random.nextInt(254));
  }

  private static List<String> bots(SplittableRandom random) {
    Set<String> bots = new LinkedHashSet<>();
    while (bots.size() < DDOS_SOURCES) {
      bots.add(
          random.nextInt(5) == 0
              ? String.format(
                  Locale.ROOT,
                  "2001:db8:bad:%x::%x",
                  random.nextInt(0x10000),
                  1 + random.nextInt(0xfffe))
              : "10.200." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
    }
    return new ArrayList<>(bots);
  }

  private static List<String> clients(SplittableRandom random) {
    Set<String> clients = new LinkedHashSet<>();
    for (int i = 1; i <= 254; i++) {
      clients.add("198.51.100." + i);
      clients.add("203.0.113." + i);
    }
    while (clients.size() < CLIENTS * 9 / 10) {
      clients.add(
          "10."
              + (1 + random.nextInt(99))
              + "."
              + random.nextInt(256)
              + "."
              + (1 + random.nextInt(254)));
    }
    while (clients.size() < CLIENTS) {
      clients.add(
          String.format(
              Locale.ROOT,
              "2001:db8:1:%x::%x",
              random.nextInt(0x10000),
              1 + random.nextInt(0xfffe)));
    }
    return new ArrayList<>(clients);
  }

  /** Cuts a text to {@link #MAX_TEXT_CHARS} without splitting a character. */
  static String cut(String text) {
    return StorableText.abbreviate(text, MAX_TEXT_CHARS);
  }
}
