package dev.sluice.server.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the dashboard's browser tests read from a page in Chromium and wait for, the same way on
 * every page: texts by CSS selector, table rows, Chart.js charts, console errors and alerts.
 */
public final class PageChecks {
  private final WebDriver driver;

  public PageChecks(WebDriver driver) {
    this.driver = driver;
  }

  public String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  public List<String> texts(String css) {
    return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  /** The body rows of the table {@code table} selects. */
  public List<WebElement> rows(String table) {
    return driver.findElements(By.cssSelector(table + " tbody tr"));
  }

  /** Whether the element {@code css} selects starts below where the element {@code above} ends. */
  public boolean below(String css, String above) {
    return driver.findElement(By.cssSelector(css)).getRect().getY()
        >= driver.findElement(By.cssSelector(above)).getRect().getY()
            + driver.findElement(By.cssSelector(above)).getRect().getHeight();
  }

  /** Whether the text of the element {@code css} selects is wider than the element: cut off. */
  public boolean cutOff(String css) {
    return (Boolean)
        ((JavascriptExecutor) driver)
            .executeScript(
                "var e = document.querySelector(arguments[0]); return e.scrollWidth > e.clientWidth;",
                css);
  }

  /** How many series the chart on canvas {@code id} draws; -1 before the page made it. */
  public int chartSeries(String id) {
    return chartNumber(id, "c.data.datasets.length");
  }

  /** How many points the first series of the chart on canvas {@code id} has; -1 before it. */
  public int chartPoints(String id) {
    return chartNumber(id, "c.data.datasets[0].data.length");
  }

  private int chartNumber(String id, String expression) {
    Object number =
        ((JavascriptExecutor) driver)
            .executeScript(
                "var c = Chart.getChart(arguments[0]); return c ? " + expression + " : -1;", id);
    return ((Number) number).intValue();
  }

  /**
   * The console's errors (CSP violations, script errors), except the live stream's reconnects and
   * those {@code expected} accepts.
   */
  public List<String> consoleErrors(Predicate<String> expected) {
    List<String> problems = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      String message = entry.getMessage();
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
          && !message.contains("/api/stream")
          && !expected.test(message)) {
        problems.add(message);
      }
    }
    return problems;
  }

  public List<String> consoleErrors() {
    return consoleErrors(message -> false);
  }

  /**
   * Waits until {@code condition} holds (returns true or an object), polling every 100 ms. Pages
   * replace rows as live updates arrive, so an element found a moment ago may be gone: such a poll
   * is tried again.
   */
  public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(
            driver, timeout.isNegative() ? Duration.ZERO : timeout, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** Fails when an alert is open: {@code what} (e.g. "a review's text") ran as script. */
  public void assertNoAlert(String what) {
    try {
      driver.switchTo().alert();
      throw new AssertionError(what + " ran as script: an alert is open");
    } catch (NoAlertPresentException expected) {
      // the text stayed text
    }
  }
}
