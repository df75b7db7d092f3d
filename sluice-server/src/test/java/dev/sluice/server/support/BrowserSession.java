package dev.sluice.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One test class's browser ({@link Browser}): a profile of its own under {@code target/}, the page
 * checks, and a trap installed before any page script runs, which records every {@code alert()}
 * instead of showing it: text from records that ran as script would call it. Open it in
 * {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
public final class BrowserSession implements AutoCloseable {
  private static final String TRAP =
      "window.__ran = [];"
          + " window.alert = function (m) { window.__ran.push('alert ' + m); };"
          + " window.onerror = null;";

  private final Path profile;
  private final ChromeDriver driver;
  private final PageChecks page;

  private BrowserSession(Path profile, ChromeDriver driver) {
    this.profile = profile;
    this.driver = driver;
    this.page = new PageChecks(driver);
  }

  /** A headless browser with a window of {@code width} × {@code height} pixels. */
  public static BrowserSession open(int width, int height) throws IOException {
    Path profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-");
    ChromeDriver driver = Browser.start(profile, width, height);
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", TRAP));
    return new BrowserSession(profile, driver);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public PageChecks page() {
    return page;
  }

  /** What the trap recorded on the current page: empty unless something ran as script. */
  public List<?> scriptsRan() {
    return (List<?>) driver.executeScript("return window.__ran;");
  }

  @Override
  public void close() {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // a leftover browser profile under target/ is harmless
    }
  }
}
