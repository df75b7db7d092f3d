package dev.sluice.server;

import static dev.sluice.server.ReviewApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.support.SecurityRows;
import dev.sluice.server.support.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The security pipeline's read endpoints, on alerts and traffic written to the server's own schema
 * as the pipeline's queries write them: the store's trigger files the alerts into incidents.
 */
class SecurityApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String IMG = "\"><img src=x onerror=alert(1)>";
  private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");
  private static final String RANGE = "from=2026-11-30T08:00:00Z&to=2026-11-30T08:05:00Z";
  private static final String TRAFFIC_RANGE = "from=2026-11-30T08:00:00Z&to=2026-11-30T08:02:00Z";

  private static TestServer server;
  private static long traversalIncident;
  private static long sqliIncident;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Optional.empty());
    try (Connection c = server.jdbc()) {
      SecurityRows rows = new SecurityRows(c);
      long traversal =
          rows.injection(
              0,
              1,
              "traversal",
              "930100",
              "path",
              "/../../etc/passwd",
              "192.0.2.50",
              "files.example",
              T.minusSeconds(3000));
      traversalIncident = rows.incidentOf(traversal);
      assertThat(rows.closeQuiet(T.minusSeconds(1800))).isEqualTo(1);
      long sqli =
          rows.injection(
              0,
              10,
              "sqli",
              "libinjection:s&sos",
              "query:id",
              "1' OR '1'='1",
              "203.0.113.7",
              "shop.example",
              T.plusSeconds(10));
      sqliIncident = rows.incidentOf(sqli);
      rows.injection(
          0,
          11,
          "xss",
          "libinjection:xss",
          "query:q",
          SCRIPT,
          "203.0.113.7",
          "shop.example",
          T.plusSeconds(20));
      rows.injection(
          1,
          5,
          "xss",
          "941100",
          "header:User-Agent",
          IMG,
          "198.51.100.9",
          "blog.example",
          T.plusSeconds(65));
      rows.injection(
          0,
          12,
          "sqli",
          "942100",
          "body",
          "UNION SELECT password FROM users",
          "203.0.113.7",
          "shop.example",
          T.plusSeconds(40));
      rows.flood("ddos", "*", "shop.example", T.plusSeconds(120), T.plusSeconds(130), 5000, 300);
      rows.flood(
          "dos", "198.51.100.20", "api.example", T.plusSeconds(180), T.plusSeconds(190), 1200, 1);

      rows.traffic(
          "stream", T.minusSeconds(3600), "packets", "10.0.0.3", "10.0.0.9", 22, "tcp", 1, 60);
      rows.traffic("stream", T, "packets", "10.0.0.1", "10.0.0.2", 443, "tcp", 10, 15000);
      rows.traffic("stream", T, "packets", "10.0.0.3", "10.0.0.2", 53, "udp", 4, 400);
      rows.traffic(
          "stream", T.plusSeconds(60), "packets", "10.0.0.1", "10.0.0.2", 443, "tcp", 5, 5000);
      rows.traffic(
          "stream", T.plusSeconds(60), "packets", "10.0.0.4", "10.0.0.1", 0, "icmp", 2, 196);
      rows.traffic(
          "stream",
          T.plusSeconds(60),
          "sensor-events",
          "203.0.113.7",
          "shop.example",
          80,
          "tcp",
          3,
          900);
      rows.traffic(
          "batch:/captures", T, "packets", "10.9.9.9", "10.0.0.2", 443, "tcp", 100, 1_000_000);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void openIncidentsAreTheUnclosedOnesMostRecentlyActiveFirst() throws Exception {
    JsonNode body = json(server.get("/api/security/incidents/open"));
    assertThat(body.get("open").asLong()).isEqualTo(5);
    List<String> classes = field(body.get("incidents"), "class");
    assertThat(classes).containsExactly("dos", "ddos", "xss", "sqli", "xss");
    JsonNode sqli = find(body.get("incidents"), "id", String.valueOf(sqliIncident));
    assertThat(sqli.get("source").asText()).isEqualTo("203.0.113.7");
    assertThat(sqli.get("target").asText()).isEqualTo("shop.example");
    assertThat(sqli.get("opened_at").asText()).isEqualTo("2026-11-30T08:00:10Z");
    assertThat(sqli.get("updated_at").asText()).isEqualTo("2026-11-30T08:00:40Z");
    assertThat(sqli.get("alerts").asLong()).isEqualTo(2);
    assertThat(sqli.get("events").asLong()).isEqualTo(2);
    assertThat(sqli.get("open").asBoolean()).isTrue();
    assertThat(sqli.get("closed_at").isNull()).isTrue();

    JsonNode xss = json(server.get("/api/security/incidents/open?class=xss&limit=1"));
    assertThat(xss.get("open").asLong()).isEqualTo(2);
    assertThat(field(xss.get("incidents"), "target")).containsExactly("blog.example");
  }

  @Test
  void incidentHistoryIsNewestFirstPagedAndFiltered() throws Exception {
    JsonNode first = json(server.get("/api/security/incidents?limit=4"));
    assertThat(field(first.get("incidents"), "class")).containsExactly("dos", "ddos", "xss", "xss");
    assertThat(first.get("next_offset").asInt()).isEqualTo(4);
    JsonNode second = json(server.get("/api/security/incidents?limit=4&offset=4"));
    assertThat(field(second.get("incidents"), "class")).containsExactly("sqli", "traversal");
    assertThat(second.get("next_offset").isNull()).isTrue();
    JsonNode closed = second.get("incidents").get(1);
    assertThat(closed.get("open").asBoolean()).isFalse();
    assertThat(closed.get("closed_at").asText()).isEqualTo("2026-11-30T07:11:00Z");

    JsonNode ddos = json(server.get("/api/security/incidents?class=ddos")).get("incidents");
    assertThat(ddos).hasSize(1);
    assertThat(ddos.get(0).get("source").asText()).isEqualTo("*");
    assertThat(ddos.get(0).get("events").asLong()).isEqualTo(5000);
  }

  @Test
  void oneIncidentComesWithItsAlertsInEventTimeOrder() throws Exception {
    JsonNode body = json(server.get("/api/security/incidents/" + sqliIncident));
    assertThat(body.get("incident").get("id").asLong()).isEqualTo(sqliIncident);
    assertThat(field(body.get("alerts"), "excerpt"))
        .containsExactly("1' OR '1'='1", "UNION SELECT password FROM users");
    JsonNode alert = body.get("alerts").get(0);
    assertThat(alert.get("rule").asText()).isEqualTo("libinjection:s&sos");
    assertThat(alert.get("field").asText()).isEqualTo("query:id");
    assertThat(alert.get("partition").asInt()).isZero();
    assertThat(alert.get("offset").asLong()).isEqualTo(10);
    assertThat(alert.get("event_id").asText()).isEqualTo("event-0-10");
    assertThat(alert.get("appended_at").asText()).isEqualTo("2026-11-30T08:00:10.005Z");
    assertThat(alert.get("incident_id").asLong()).isEqualTo(sqliIncident);

    JsonNode limited = json(server.get("/api/security/incidents/" + sqliIncident + "?limit=1"));
    assertThat(limited.get("alerts")).hasSize(1);

    JsonNode traversal = json(server.get("/api/security/incidents/" + traversalIncident));
    assertThat(traversal.get("incident").get("class").asText()).isEqualTo("traversal");
  }

  @Test
  void latestAlertsAreNewestDetectedFirstWithTheExcerptAsWritten() throws Exception {
    HttpResponse<String> response = server.get("/api/security/alerts");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode alerts = json(response).get("alerts");
    assertThat(field(alerts, "class"))
        .containsExactly("dos", "ddos", "sqli", "xss", "xss", "sqli", "traversal");
    JsonNode xss = json(server.get("/api/security/alerts?class=xss")).get("alerts");
    assertThat(field(xss, "excerpt")).containsExactly(IMG, SCRIPT);
    assertThat(xss.get(0).get("field").asText()).isEqualTo("header:User-Agent");

    JsonNode flood =
        json(server.get("/api/security/alerts?class=ddos&limit=1")).get("alerts").get(0);
    assertThat(flood.get("window_start").asText()).isEqualTo("2026-11-30T08:02:00Z");
    assertThat(flood.get("window_end").asText()).isEqualTo("2026-11-30T08:02:10Z");
    assertThat(flood.get("sources").asLong()).isEqualTo(300);
    assertThat(flood.get("offset").isNull()).isTrue();

    assertThat(json(server.get("/api/security/alerts?limit=2")).get("alerts")).hasSize(2);
  }

  @Test
  void alertsPerMinuteCountPerClassInTheRange() throws Exception {
    JsonNode body = json(server.get("/api/security/alerts/per-minute?" + RANGE));
    assertThat(body.get("from").asText()).isEqualTo("2026-11-30T08:00:00Z");
    List<String> rows = new ArrayList<>();
    body.get("minutes")
        .forEach(
            m ->
                rows.add(
                    m.get("minute").asText().substring(11, 16)
                        + " "
                        + m.get("class").asText()
                        + " "
                        + m.get("alerts").asLong()
                        + "/"
                        + m.get("events").asLong()));
    assertThat(rows)
        .containsExactly(
            "08:00 sqli 2/2",
            "08:00 xss 1/1",
            "08:01 xss 1/1",
            "08:02 ddos 1/5000",
            "08:03 dos 1/1200");
    JsonNode xss = json(server.get("/api/security/alerts/per-minute?class=xss&" + RANGE));
    assertThat(xss.get("minutes")).hasSize(2);
  }

  @Test
  void topSourcesAndTargetsRankByAlertsOrEvents() throws Exception {
    JsonNode sources = json(server.get("/api/security/top/sources?" + RANGE)).get("top");
    assertThat(field(sources, "name"))
        .containsExactly("203.0.113.7", "198.51.100.20", "198.51.100.9");
    assertThat(sources.get(0).get("alerts").asLong()).isEqualTo(3);

    JsonNode byEvents = json(server.get("/api/security/top/targets?by=events&" + RANGE)).get("top");
    assertThat(field(byEvents, "name"))
        .containsExactly("shop.example", "api.example", "blog.example");
    assertThat(byEvents.get(0).get("events").asLong()).isEqualTo(5003);
    JsonNode byAlerts = json(server.get("/api/security/top/targets?limit=2&" + RANGE)).get("top");
    assertThat(field(byAlerts, "name")).containsExactly("shop.example", "api.example");
  }

  @Test
  void trafficPerHostAndPortPerMinute() throws Exception {
    JsonNode hosts =
        json(server.get("/api/security/traffic/hosts?limit=2&" + TRAFFIC_RANGE)).get("series");
    assertThat(field(hosts, "key")).containsExactly("10.0.0.2", "10.0.0.1");
    assertThat(hosts.get(0).get("bytes").asLong()).isEqualTo(20_400);
    JsonNode minutes = hosts.get(0).get("minutes");
    assertThat(field(minutes, "minute"))
        .containsExactly("2026-11-30T08:00:00Z", "2026-11-30T08:01:00Z");
    assertThat(field(minutes, "bytes")).containsExactly("15400", "5000");

    JsonNode ports = json(server.get("/api/security/traffic/ports?" + TRAFFIC_RANGE)).get("series");
    assertThat(field(ports, "key")).containsExactly("443", "80", "53", "0");
    JsonNode byEvents =
        json(server.get("/api/security/traffic/ports?by=events&" + TRAFFIC_RANGE)).get("series");
    assertThat(field(byEvents, "key")).containsExactly("443", "53", "80", "0");

    JsonNode batch =
        json(server.get(
                "/api/security/traffic/hosts?origin="
                    + enc("batch:/captures")
                    + "&"
                    + TRAFFIC_RANGE))
            .get("series");
    assertThat(field(batch, "key")).containsExactly("10.0.0.2", "10.9.9.9");
  }

  @Test
  void topTalkersProtocolsAndNewHosts() throws Exception {
    JsonNode talkers =
        json(server.get("/api/security/traffic/talkers?" + TRAFFIC_RANGE)).get("talkers");
    assertThat(field(talkers, "source"))
        .containsExactly("10.0.0.1", "203.0.113.7", "10.0.0.3", "10.0.0.4");
    assertThat(talkers.get(0).get("bytes").asLong()).isEqualTo(20_000);
    assertThat(talkers.get(0).get("targets").asLong()).isEqualTo(1);

    JsonNode protocols =
        json(server.get("/api/security/traffic/protocols?" + TRAFFIC_RANGE)).get("protocols");
    assertThat(field(protocols, "proto")).containsExactly("tcp", "udp", "icmp");
    assertThat(protocols.get(0).get("bytes").asLong()).isEqualTo(20_900);
    JsonNode packets =
        json(server.get("/api/security/traffic/protocols?input=packets&" + TRAFFIC_RANGE))
            .get("protocols");
    assertThat(packets.get(0).get("bytes").asLong()).isEqualTo(20_000);

    JsonNode hosts =
        json(server.get("/api/security/traffic/new-hosts?" + TRAFFIC_RANGE)).get("hosts");
    assertThat(field(hosts, "host"))
        .containsExactly("10.0.0.4", "203.0.113.7", "shop.example", "10.0.0.1", "10.0.0.2");
    assertThat(hosts.get(0).get("first_minute").asText()).isEqualTo("2026-11-30T08:01:00Z");
  }

  @Test
  void aMissingIncidentIs404AndTheOpenRouteIsNotAnId() throws Exception {
    assertProblem(server.get("/api/security/incidents/999999"), 404, "no incident 999999");
    assertThat(server.get("/api/security/incidents/open").statusCode()).isEqualTo(200);
  }

  @Test
  void everyBadParameterIsA400NamingIt() throws Exception {
    bad("/api/security/incidents/open?class=SQLI", "class", "got 'SQLI'");
    bad("/api/security/incidents/open?class=" + enc("<script>"), "class", "an alert class");
    bad("/api/security/incidents?limit=0", "limit", "from 1 to 1000");
    bad("/api/security/incidents?limit=1001", "limit", "got '1001'");
    bad("/api/security/incidents?offset=-1", "offset", "from 0 to 100000");
    bad("/api/security/incidents?offset=x", "offset", "got 'x'");
    bad("/api/security/incidents/abc", "id", "an incident id");
    bad("/api/security/incidents/0", "id", "got '0'");
    bad("/api/security/incidents/1?limit=abc", "limit", "got 'abc'");
    bad("/api/security/alerts?limit=1001", "limit", "from 1 to 1000");
    bad("/api/security/alerts?class=x%20y", "class", "got 'x y'");
    bad("/api/security/alerts/per-minute?from=yesterday", "from", "ISO-8601");
    bad("/api/security/alerts/per-minute?to=2026-11-30T08:00:00", "to", "with its zone");
    bad(
        "/api/security/alerts/per-minute?from=2026-11-30T08:00:00Z&to=2026-11-30T07:00:00Z",
        "to",
        "a time after from");
    bad(
        "/api/security/alerts/per-minute?from=2026-11-28T08:00:00Z&to=2026-11-30T08:00:00Z",
        "to",
        "at most 24 hours after from");
    bad("/api/security/top/sources?by=bytes", "by", "one of alerts, events");
    bad(
        "/api/security/top/targets?from=2026-10-01T00:00:00Z&to=2026-11-30T00:00:00Z",
        "to",
        "at most 31 days");
    bad("/api/security/top/targets?limit=101", "limit", "from 1 to 100");
    bad("/api/security/traffic/hosts?by=alerts", "by", "one of bytes, events");
    bad("/api/security/traffic/hosts?limit=51", "limit", "from 1 to 50");
    bad("/api/security/traffic/ports?input=pcap", "input", "one of packets, sensor-events");
    bad("/api/security/traffic/talkers?origin=batch", "origin", "stream");
    bad("/api/security/traffic/protocols?origin=" + enc("batch:\n"), "origin", "batch:<DIR>");
    bad("/api/security/traffic/new-hosts?limit=1001", "limit", "from 1 to 1000");
    bad("/api/security/traffic/new-hosts?from=2026-13-01T00:00:00Z", "from", "got '2026-13-01");
  }

  private static void bad(String path, String parameter, String detailPart) throws Exception {
    HttpResponse<String> response = server.get(path);
    assertProblem(response, 400, detailPart);
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("parameter").asText()).as(path).isEqualTo(parameter);
    assertThat(problem.get("detail").asText()).as(path).startsWith(parameter + " must be");
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<String> field(JsonNode array, String name) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.get(name).asText()));
    return values;
  }

  private static JsonNode find(JsonNode array, String name, String value) {
    for (JsonNode node : array) {
      if (node.get(name).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no element with " + name + " " + value + " in " + array);
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
