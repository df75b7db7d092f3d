package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.KafkaTopics;
import dev.sluice.server.support.Browser;
import dev.sluice.server.support.BrowserSession;
import dev.sluice.server.support.PageChecks;
import dev.sluice.server.support.PipelineProcess;
import dev.sluice.server.support.TestServer;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The overview, the reviews dashboard and the post page in headless Chromium, fed by the real
 * pipeline (Spark, a model trained by the real trainer) through the real server, Kafka and
 * PostgreSQL. Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserIT {
  private static final String TOKEN = "browser-token-91d2";
  private static final String TOPIC = "browser-reviews";
  private static final String XSS = "<img src=x onerror=alert(1)>";

  private static TestServer server;
  private static PipelineProcess pipeline;
  private static ChromeDriver driver;
  private static PageChecks page;
  private static List<String> imdb;
  private static BrowserSession browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireOrOptOut();
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Database database = TestServer.freshSchema(platform);
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(TOPIC, 2);
    }
    server = TestServer.start(Optional.of(TOKEN), platform.kafka(), database, TOPIC);
    pipeline = PipelineProcess.start(platform.env(), database.url(), TOPIC);
    postImdbReviews(0, 200);
    browser = BrowserSession.open(1366, 2300);
    driver = browser.driver();
    page = browser.page();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void dashboardFillsLiveAndAPostedReviewAppearsAsTextWithItsPrediction() throws Exception {
    driver.manage().window().setSize(new Dimension(1366, 2300));
    driver.get(server.uri("/reviews/").toString());
    String dashboard = driver.getWindowHandle();

    awaitDashboardFilled(Duration.ofSeconds(120));
    assertThat(page.text("#live-status")).isEqualTo("Live");

    // Two more waves of reviews: the open page follows each batch without a reload.
    for (int wave = 1; wave <= 2; wave++) {
      long before = reviewsShown();
      postImdbReviews(200 + 50 * (wave - 1), 50);
      page.await(Duration.ofSeconds(30), d -> reviewsShown() >= before + 50);
    }
    page.await(
        Duration.ofSeconds(10),
        d -> !page.text("#kpi-batch").equals("–") && !page.text("#kpi-input").equals("–"));
    assertThat(page.chartPoints("accuracy-chart")).isGreaterThanOrEqualTo(3);
    Browser.screenshot(driver, "dashboard-light");

    // The word table sorts and pages.
    driver.findElement(By.cssSelector("#words-table th button[data-sort='word']")).click();
    List<String> sorted = page.texts("#words-table tbody tr td:nth-child(2)");
    assertThat(sorted).isSorted();
    driver.findElement(By.id("words-next")).click();
    assertThat(page.text("#words-page")).startsWith("2 / ");
    driver.findElement(By.cssSelector("#words-table th button[data-sort='count']")).click();
    assertThat(page.text("#words-page")).startsWith("1 / ");

    // Post through the form, in a second tab, as a user would.
    driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
    driver.get(server.uri("/reviews/post.html").toString());
    String review = "Loved it " + XSS + " — a marker " + System.nanoTime();
    page.await(Duration.ofSeconds(10), d -> d.findElement(By.id("token-box")).isDisplayed());
    driver.findElement(By.id("review-text")).sendKeys(review);
    driver.findElement(By.cssSelector("label[for='score-4']")).click();
    driver.findElement(By.id("api-token")).sendKeys(TOKEN);
    Browser.screenshot(driver, "post-form");
    driver.findElement(By.id("submit")).click();
    WebElement posted =
        page.await(
            Duration.ofSeconds(10),
            d -> d.findElements(By.cssSelector("#history li")).stream().findFirst().orElse(null));
    String id = posted.getAttribute("data-id");
    assertThat(id).isNotBlank();
    assertThat(posted.findElement(By.cssSelector(".excerpt-text")).getText()).isEqualTo(review);

    // The prediction reaches the dashboard, shown as text; how fast is the benchmarks' business.
    driver.switchTo().window(dashboard);
    WebElement row =
        page.await(
            Duration.ofSeconds(90),
            d ->
                d.findElements(By.cssSelector("#predictions tr[data-id='" + id + "']")).stream()
                    .findFirst()
                    .orElse(null));
    assertThat(row.findElement(By.cssSelector(".excerpt-text")).getText()).isEqualTo(review);
    assertThat(row.findElement(By.cssSelector(".predicted")).getText())
        .isIn("Positive", "Negative");
    assertThat(row.findElement(By.cssSelector(".expected")).getText()).startsWith("Positive");
    assertThat(row.findElement(By.cssSelector(".prob-value")).getText()).matches("\\d{2,3}%");
    assertThat(driver.findElements(By.cssSelector("#predictions img"))).isEmpty();
    page.assertNoAlert("a review's text");

    // The post page learns the prediction too.
    driver
        .switchTo()
        .window(
            driver.getWindowHandles().stream()
                .filter(h -> !h.equals(dashboard))
                .findFirst()
                .orElseThrow());
    page.await(
        Duration.ofSeconds(15),
        d ->
            d.findElement(By.cssSelector("#history li[data-id='" + id + "']"))
                .getAttribute("data-state")
                .equals("done"));
    assertThat(driver.findElements(By.cssSelector("#history img"))).isEmpty();
    page.assertNoAlert("a review's text");
    Browser.screenshot(driver, "post-result");
    driver.close();
    driver.switchTo().window(dashboard);

    // Dark theme by the toggle, then a phone.
    driver.findElement(By.id("theme-toggle")).click();
    assertThat(driver.findElement(By.tagName("html")).getAttribute("data-theme")).isEqualTo("dark");
    String background =
        (String)
            ((JavascriptExecutor) driver)
                .executeScript("return getComputedStyle(document.body).backgroundColor");
    assertThat(background).isEqualTo("rgb(13, 16, 23)");
    Thread.sleep(300);
    Browser.screenshot(driver, "dashboard-dark");
    driver.manage().window().setSize(new Dimension(390, 3000));
    page.await(
        Duration.ofSeconds(10),
        d ->
            ((Number)
                        ((JavascriptExecutor) d)
                            .executeScript("return document.documentElement.scrollWidth"))
                    .intValue()
                <= 390);
    Thread.sleep(5000); // the word cloud lays itself out again for the new width
    Browser.screenshot(driver, "dashboard-phone-dark");
    driver.findElement(By.id("theme-toggle")).click();
    Thread.sleep(300);
    Browser.screenshot(driver, "dashboard-phone-light");

    assertThat(page.consoleErrors(DashboardBrowserIT::predictionNotYet))
        .as("browser console errors (CSP violations, script errors)")
        .isEmpty();
    assertThat(pipeline.isAlive()).as(pipeline.logTail()).isTrue();
  }

  @Test
  void overviewShowsEachRegisteredPipelineLiveAndLinksToItsPage() {
    driver.manage().window().setSize(new Dimension(1366, 1000));
    driver.get(server.uri("/").toString());
    WebElement card =
        page.await(
            Duration.ofSeconds(60),
            d ->
                d.findElements(By.cssSelector(".pipeline-card[data-pipeline='reviews']")).stream()
                    .filter(
                        c -> c.findElement(By.cssSelector(".badge")).getText().equals("RUNNING"))
                    .findFirst()
                    .orElse(null));
    assertThat(card.findElement(By.cssSelector("h2")).getText()).isEqualTo("Reviews");
    page.await(
        Duration.ofSeconds(60),
        d ->
            !d.findElement(By.cssSelector(".pipeline-card[data-pipeline='reviews'] .figure dd"))
                .getText()
                .equals("–"));
    assertThat(page.text("#live-status")).isEqualTo("Live");
    assertThat(driver.findElement(By.cssSelector("#nav a[aria-current='page']")).getText())
        .isEqualTo("Overview");
    Browser.screenshot(driver, "overview");

    driver.findElement(By.cssSelector(".pipeline-card[data-pipeline='reviews'] h2 a")).click();
    page.await(Duration.ofSeconds(10), d -> d.getCurrentUrl().endsWith("/reviews/"));
    WebElement current =
        page.await(
            Duration.ofSeconds(10),
            d ->
                d.findElements(By.cssSelector("#nav a[aria-current='page']")).stream()
                    .findFirst()
                    .orElse(null));
    assertThat(current.getText()).isEqualTo("Reviews");
    assertThat(page.consoleErrors(DashboardBrowserIT::predictionNotYet))
        .as("browser console errors (CSP violations, script errors)")
        .isEmpty();
  }

  /**
   * The post page asks for a posted review's prediction until the pipeline has committed it;
   * Chromium logs every "404 not yet" answer as a console error.
   */
  private static boolean predictionNotYet(String message) {
    return message.contains("/api/predictions/") && message.contains("(Not Found)");
  }

  private static void awaitDashboardFilled(Duration timeout) {
    try {
      page.await(
          timeout,
          d ->
              page.chartPoints("accuracy-chart") > 0
                  && d.findElements(By.cssSelector("#predictions tbody tr")).size() >= 50
                  && d.findElements(By.cssSelector("#words-table tbody tr")).size() == 10
                  && d.findElements(By.cssSelector("#word-cloud svg text")).size() >= 30
                  && !page.text("#kpi-reviews").equals("–")
                  && !page.text("#kpi-accuracy").equals("–"));
    } catch (org.openqa.selenium.TimeoutException e) {
      Browser.screenshot(driver, "dashboard-not-filled");
      throw new AssertionError(
          "the dashboard did not fill; pipeline log:\n" + pipeline.logTail(), e);
    }
  }

  private static long reviewsShown() {
    String shown = page.text("#kpi-reviews").replaceAll("[^0-9]", "");
    return shown.isEmpty() ? 0 : Long.parseLong(shown);
  }

  /**
   * Posts IMDB reviews number {@code from} to {@code from + count - 1}, alternating the classes.
   */
  private static void postImdbReviews(int from, int count) throws Exception {
    if (imdb == null) {
      try (Stream<String> all = Files.lines(PipelineProcess.dataset())) {
        imdb = all.toList();
      }
    }
    List<String> lines = imdb;
    int half = lines.size() / 2;
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String line =
          lines.get(i % 2 == 0 ? i / 2 : half + i / 2); // negatives first in the file: interleave
      answers.add(clients.submit(() -> server.postJson("/api/reviews", line, TOKEN)));
    }
    for (Future<HttpResponse<String>> answer : answers) {
      assertThat(answer.get().statusCode()).isEqualTo(202);
    }
    clients.shutdown();
  }
}
