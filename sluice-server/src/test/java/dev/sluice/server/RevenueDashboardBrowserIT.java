package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.server.support.Browser;
import dev.sluice.server.support.BrowserSession;
import dev.sluice.server.support.PageChecks;
import dev.sluice.server.support.RevenueKeysWriter;
import dev.sluice.server.support.TestServer;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The revenue page in headless Chromium, against the real server and a real Redis that the test
 * fills in the layout of {@link RevenueKeys} (database 12, flushed first). The page follows changes
 * live, looks ids up, and shows ids, which whoever produced the records chose, as text. Screenshots
 * go to {@code target/screenshots/}.
 */
class RevenueDashboardBrowserIT {
  private static final String SCRIPT_ID = "<img src=x onerror=alert(1)>";

  private static TestServer server;
  private static RedisPool pool;
  private static ChromeDriver driver;
  private static PageChecks page;
  private static BrowserSession browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireOrOptOut();
    Redis redis = new Redis(RedisUrl.parse(EmbeddedPlatform.shared().redis() + "/12"), null);
    pool = redis.openPool();
    pool.awaitReady(Duration.ofSeconds(30));
    try (var jedis = pool.borrow()) {
      jedis.flushDB();
    }
    server = TestServer.startWithRedis(redis);
    browser = BrowserSession.open(1366, 1800);
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
    if (pool != null) {
      pool.close();
    }
  }

  private static void reportStatus(String query, String state, long kafkaLag) throws SQLException {
    try (Connection c = server.jdbc();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO pipelines (name, state, started_at, updated_at, kafka_lag)"
                    + " VALUES (?, ?, now(), now(), ?) ON CONFLICT (name) DO UPDATE SET"
                    + " state = EXCLUDED.state, updated_at = now(), kafka_lag = EXCLUDED.kafka_lag")) {
      s.setString(1, query);
      s.setString(2, state);
      s.setLong(3, kafkaLag);
      s.executeUpdate();
    }
  }

  @Test
  void thePageShowsTotalsMinutesAndTopIdsLiveAndLooksAnIdUp() throws Exception {
    long minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
    try (var jedis = pool.borrow()) {
      RevenueKeysWriter writer = new RevenueKeysWriter(jedis, RevenueKeys.standard());
      writer.apply(new RevenueRecord("acct-00001", false, 1_250_000, 4, minute - 120_000));
      writer.apply(new RevenueRecord("acct-00001", false, 2_500_000, 9, minute - 60_000));
      writer.apply(new RevenueRecord("100002", true, 400_000, 2, minute - 90_000));
      writer.apply(new RevenueRecord(SCRIPT_ID, false, 90_000, 1, minute - 30_000));
      writer.minute(minute - 120_000, 2, "125", 1);
      writer.minute(minute - 60_000, 3, "290.5", 3);
    }

    // The overview links to the page, from the registry.
    driver.get(server.uri("/").toString());
    // The overview draws its cards again on each status: find and click in one step.
    page.await(
        Duration.ofSeconds(30),
        d -> {
          d.findElements(By.cssSelector(".pipeline-card[data-pipeline='revenue'] h2 a")).stream()
              .findFirst()
              .orElseThrow(() -> new org.openqa.selenium.NotFoundException("revenue card"))
              .click();
          return true;
        });
    page.await(Duration.ofSeconds(10), d -> d.getCurrentUrl().endsWith("/revenue/"));
    page.await(Duration.ofSeconds(30), d -> page.text("#kpi-ids").equals("3"));
    assertThat(page.text("#kpi-revenue")).contains("299");
    page.await(Duration.ofSeconds(30), d -> page.rows("#top-table").size() == 3);
    page.await(
        Duration.ofSeconds(10),
        d ->
            page.texts("#top-table td.lookup-id")
                .equals(List.of("acct-00001", "100002", SCRIPT_ID)));
    assertThat(page.chartPoints("minutes-chart")).isEqualTo(2);
    assertThat(driver.findElement(By.id("live-status")).getText()).isEqualTo("Live");

    // The pipeline runs two queries, each reporting under its own name: the badge and the figures
    // speak for both, with the worse state (in capitals: the badge's style).
    reportStatus("revenue-latest", "RUNNING", 12);
    reportStatus("revenue-minutes", "RUNNING", 3);
    page.await(
        Duration.ofSeconds(30), d -> page.text("#pipeline-state").equals("REVENUE · RUNNING"));
    // The busiest query's lag: both read the same records.
    assertThat(page.text("#kpi-lag")).isEqualTo("12");
    reportStatus("revenue-minutes", "FAILED", 3);
    page.await(
        Duration.ofSeconds(30), d -> page.text("#pipeline-state").equals("REVENUE · FAILED"));

    // A lookup shows the latest record and the history, newest first.
    driver.findElement(By.id("lookup-id")).sendKeys("acct-00001");
    driver.findElement(By.id("lookup-button")).click();
    page.await(Duration.ofSeconds(20), d -> page.rows("#history-table").size() == 2);
    assertThat(page.texts("#history-table td.num").get(1)).isEqualTo("9");

    // A change announced while the page is open: totals, top ids and the shown id follow.
    try (var jedis = pool.borrow()) {
      new RevenueKeysWriter(jedis, RevenueKeys.standard())
          .apply(new RevenueRecord("acct-00001", false, 3_000_000, 12, minute - 10_000));
    }
    page.await(Duration.ofSeconds(20), d -> page.rows("#history-table").size() == 3);
    page.await(Duration.ofSeconds(20), d -> page.text("#kpi-revenue").contains("349"));

    // The id chosen by a producer stays text, in the table and in a lookup.
    // The table is drawn again on each live update: find and click in one step, again if stale.
    page.await(
        Duration.ofSeconds(20),
        d -> {
          d.findElements(By.cssSelector("#top-table td.lookup-id button")).stream()
              .filter(b -> b.getText().equals(SCRIPT_ID))
              .findFirst()
              .orElseThrow(() -> new org.openqa.selenium.NotFoundException(SCRIPT_ID))
              .click();
          return true;
        });
    page.await(
        Duration.ofSeconds(20),
        d -> page.texts("#lookup-latest dd").stream().anyMatch(t -> t.equals(SCRIPT_ID)));

    // Amounts too wide for a card show in compact form, the exact amount in its tooltip.
    try (var jedis = pool.borrow()) {
      new RevenueKeysWriter(jedis, RevenueKeys.standard())
          .apply(new RevenueRecord("acct-00009", false, 123_456_789_000L, 1, minute - 5_000));
    }
    page.await(
        Duration.ofSeconds(20),
        d -> d.findElement(By.id("kpi-revenue")).getAttribute("title").contains("12,346,"));
    assertThat(page.cutOff("#kpi-revenue")).isFalse();
    Path shot = Browser.screenshot(driver, "revenue-dashboard");
    assertThat(Files.size(shot)).isGreaterThan(10_000);
    driver.findElement(By.id("theme-toggle")).click();
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 2400));
    Browser.screenshot(driver, "revenue-dashboard-phone-dark");

    // The overview's card speaks for both queries too: the worse state, the busiest query's lag.
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 1800));
    driver.get(server.uri("/").toString());
    String card = ".pipeline-card[data-pipeline='revenue']";
    page.await(
        Duration.ofSeconds(30),
        d ->
            page.text(card + " .badge").equals("FAILED")
                && page.texts(card + " .figure dd").get(2).equals("12"));
    reportStatus("revenue-minutes", "RUNNING", 3);
    page.await(Duration.ofSeconds(30), d -> page.text(card + " .badge").equals("RUNNING"));

    assertThat(browser.scriptsRan()).isEmpty();
    assertThat(driver.findElements(By.tagName("img"))).isEmpty();
    assertThat(page.consoleErrors())
        .as("browser console errors (CSP violations, script errors)")
        .isEmpty();
  }
}
