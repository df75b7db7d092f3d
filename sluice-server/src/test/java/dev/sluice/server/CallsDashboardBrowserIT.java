package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Browser;
import dev.sluice.server.support.BrowserSession;
import dev.sluice.server.support.CallsRows;
import dev.sluice.server.support.CallsRows.Hour;
import dev.sluice.server.support.PageChecks;
import dev.sluice.server.support.TestServer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The calls page in headless Chromium, against the real server and PostgreSQL: batches of {@code
 * calls_hourly} committed as the pipeline commits them. The page follows them live and shows the
 * records' text as text. Screenshots go to {@code target/screenshots/}. The API's parameters are
 * checked on the same server.
 */
class CallsDashboardBrowserIT {
  /** Text from a record that would run if the page made elements from it. */
  static final String SCRIPT = "<img src=x onerror=alert(1)>Ruido";

  static final Instant HOUR = Instant.parse("2018-12-31T07:00:00Z");

  private static TestServer server;
  private static ChromeDriver driver;
  private static PageChecks page;
  private static BrowserSession browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireOrOptOut();
    server = TestServer.start(Optional.empty());
    browser = BrowserSession.open(1366, 2400);
    driver = browser.driver();
    page = browser.page();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void thePageFollowsTheHourlyCountsLiveAndShowsRecordTextAsText() throws Exception {
    // Before the first call: each empty table says so below its header, not over it.
    driver.get(server.uri("/calls/").toString());
    page.await(Duration.ofSeconds(30), d -> d.findElement(By.id("hours-empty")).isDisplayed());
    for (String table : List.of("hours", "types", "unknown")) {
      assertThat(page.below("#" + table + "-empty", "#" + table + " thead")).as(table).isTrue();
    }

    try (Connection c = server.jdbc()) {
      new CallsRows(c)
          .commitBatch(
              0,
              new Hour(HOUR, "Passing Call", "HAN", "Handled", 12),
              new Hour(HOUR, "Traffic Stop", "CIT", "Cited", 5),
              new Hour(HOUR.plusSeconds(3600), SCRIPT, "Q9", "unknown", 2));
    }

    driver.get(server.uri("/calls/").toString());
    page.await(Duration.ofSeconds(30), d -> page.rows("#hours").size() == 3);
    assertThat(page.texts("#types td:nth-child(2)"))
        .containsExactly("Passing Call", "Traffic Stop", SCRIPT);
    assertThat(page.texts("#unknown td:first-child")).containsExactly("Q9");
    assertThat(driver.findElement(By.id("kpi-calls")).getText()).isEqualTo("19");
    assertThat(driver.findElement(By.id("kpi-unknown")).getText()).isEqualTo("2");
    page.await(Duration.ofSeconds(30), d -> page.chartSeries("dispositions-chart") == 3);
    page.await(Duration.ofSeconds(30), d -> page.chartSeries("hour-of-day-chart") == 1);
    assertThat(driver.findElement(By.id("live-status")).getText()).isEqualTo("Live");

    // The current hour grows while the page is open: no reload.
    try (Connection c = server.jdbc()) {
      new CallsRows(c)
          .commitBatch(
              1,
              new Hour(HOUR.plusSeconds(3600), "Passing Call", "GOA", "Gone on Arrival", 4),
              new Hour(HOUR.plusSeconds(3600), SCRIPT, "Q9", "unknown", 3));
    }
    page.await(
        Duration.ofSeconds(20), d -> "24".equals(d.findElement(By.id("kpi-calls")).getText()));
    assertThat(driver.findElement(By.id("kpi-hour")).getText()).isEqualTo("7");
    assertThat(driver.findElement(By.id("kpi-unknown")).getText()).isEqualTo("3");
    Browser.screenshot(driver, "calls-dashboard");
    driver.findElement(By.id("theme-toggle")).click();
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 2800));
    page.await(Duration.ofSeconds(10), d -> page.rows("#hours").size() == 4);
    Browser.screenshot(driver, "calls-dashboard-phone-dark");

    assertThat(browser.scriptsRan()).isEmpty();
    assertThat(driver.findElements(By.tagName("img"))).isEmpty();
    assertThat(page.consoleErrors()).as("browser console errors (CSP, scripts)").isEmpty();

    // The API: the same counts, and a 400 problem for a bad parameter.
    HttpResponse<String> top = server.get("/api/calls/types/top?limit=1");
    assertThat(top.statusCode()).isEqualTo(200);
    assertThat(top.body()).isEqualTo("{\"types\":[{\"call_type\":\"Passing Call\",\"count\":16}]}");
    HttpResponse<String> hourOfDay = server.get("/api/calls/hour-of-day");
    // 07:00 and 08:00 UTC are 23:00 and 00:00 in San Francisco.
    assertThat(hourOfDay.body())
        .isEqualTo("{\"hours\":[{\"hour\":0,\"count\":7},{\"hour\":23,\"count\":17}]}");
    for (String bad :
        List.of(
            "/api/calls/hourly?hours=0",
            "/api/calls/hourly?hours=abc",
            "/api/calls/dispositions?hours=100000",
            "/api/calls/unknown-codes?limit=-1")) {
      HttpResponse<String> answer = server.get(bad);
      assertThat(answer.statusCode()).as(bad).isEqualTo(400);
      assertThat(answer.headers().firstValue("content-type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }
  }
}
