package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Browser;
import dev.sluice.server.support.BrowserSession;
import dev.sluice.server.support.PageChecks;
import dev.sluice.server.support.SecurityRows;
import dev.sluice.server.support.TestServer;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The security page in headless Chromium, against the real server and PostgreSQL: rows written
 * through SQL as the pipeline's queries write them (the store's trigger files the incidents). The
 * page follows them live, and shows attackers' excerpts as text: no script runs, no element is made
 * from them. Screenshots go to {@code target/screenshots/}.
 */
class SecurityDashboardBrowserIT {
  private static TestServer server;
  private static ChromeDriver driver;
  private static PageChecks page;
  private static BrowserSession browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireOrOptOut();
    server = TestServer.start(Optional.empty());
    browser = BrowserSession.open(1366, 2600);
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
  void thePageFollowsIncidentsLiveAndShowsAttackersTextAsText() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (Connection c = server.jdbc()) {
      SecurityRows rows = new SecurityRows(c);
      rows.injection(
          0,
          1,
          "xss",
          "941100",
          "query:q",
          SecurityApiIT.SCRIPT,
          "203.0.113.7",
          "shop.example",
          now.minusSeconds(30));
      rows.injection(
          0,
          2,
          "xss",
          "941110",
          "header:Referer",
          SecurityApiIT.IMG,
          "203.0.113.7",
          "shop.example",
          now.minusSeconds(20));
      rows.flood("ddos", "*", "api.example", now.minusSeconds(90), now.minusSeconds(80), 4200, 310);
      rows.traffic(
          "stream",
          now.truncatedTo(ChronoUnit.MINUTES),
          "packets",
          "10.0.0.1",
          "10.0.0.2",
          443,
          "tcp",
          40,
          52_000);
    }

    // The overview lists the pipeline from the registry and links to its page.
    driver.get(server.uri("/").toString());
    WebElement link =
        page.await(
            Duration.ofSeconds(30),
            d ->
                d
                    .findElements(By.cssSelector(".pipeline-card[data-pipeline='security'] h2 a"))
                    .stream()
                    .findFirst()
                    .orElse(null));
    assertThat(link.getAttribute("href")).endsWith("/security/");
    link.click();
    page.await(Duration.ofSeconds(10), d -> d.getCurrentUrl().endsWith("/security/"));
    WebElement current =
        page.await(
            Duration.ofSeconds(10),
            d ->
                d.findElements(By.cssSelector("#nav a[aria-current='page']")).stream()
                    .findFirst()
                    .orElse(null));
    assertThat(current.getText()).isEqualTo("Security");
    page.await(Duration.ofSeconds(30), d -> page.rows("#open-incidents").size() == 2);
    page.await(Duration.ofSeconds(30), d -> page.rows("#alerts").size() == 3);
    assertThat(page.texts("#alerts td.excerpt")).contains(SecurityApiIT.SCRIPT, SecurityApiIT.IMG);
    assertThat(page.texts("#open-incidents td.pair"))
        .containsExactly("203.0.113.7 → shop.example", "many sources → api.example");
    assertThat(driver.findElement(By.id("live-status")).getText()).isEqualTo("Live");
    page.await(Duration.ofSeconds(30), d -> page.rows("#talkers").size() == 1);
    page.await(Duration.ofSeconds(30), d -> page.chartSeries("per-minute-chart") == 2);
    page.await(Duration.ofSeconds(30), d -> page.chartSeries("hosts-chart") == 2);

    // An incident opened while the page is open appears without a reload.
    long incident;
    try (Connection c = server.jdbc()) {
      SecurityRows rows = new SecurityRows(c);
      incident =
          rows.incidentOf(
              rows.injection(
                  1,
                  7,
                  "sqli",
                  "942100",
                  "body",
                  "1 UNION SELECT password FROM users",
                  "198.51.100.23",
                  "db.example",
                  Instant.now()));
    }
    WebElement row =
        page.await(
            Duration.ofSeconds(20),
            d ->
                d
                    .findElements(By.cssSelector("#open-incidents tr[data-id='" + incident + "']"))
                    .stream()
                    .findFirst()
                    .orElse(null));
    assertThat(row.findElement(By.cssSelector("td.pair")).getText())
        .isEqualTo("198.51.100.23 → db.example");
    assertThat(row.findElement(By.cssSelector(".class-tag")).getText()).isEqualTo("sqli");
    page.await(Duration.ofSeconds(20), d -> page.rows("#alerts").size() == 4);
    assertThat(driver.findElement(By.id("kpi-open")).getText()).isEqualTo("3");
    Browser.screenshot(driver, "security-dashboard");
    driver.findElement(By.id("theme-toggle")).click();
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 3000));
    page.await(Duration.ofSeconds(10), d -> page.rows("#alerts").size() == 4);
    Browser.screenshot(driver, "security-dashboard-phone-dark");

    // The attackers' text stayed text: no dialog, no call, no element made from it.
    page.assertNoAlert("an excerpt");
    assertThat(browser.scriptsRan()).isEmpty();
    assertThat(driver.findElements(By.tagName("img"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("script:not([src])"))).isEmpty();
    assertThat(page.consoleErrors())
        .as("browser console errors (CSP violations, script errors)")
        .isEmpty();
  }
}
