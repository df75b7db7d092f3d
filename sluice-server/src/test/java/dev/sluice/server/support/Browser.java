package dev.sluice.server.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven by the Debian chromedriver, both found at fixed paths so Selenium
 * Manager never tries to download a browser or driver.
 */
public final class Browser {
  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  /**
   * The system property ({@code -Dsluice.skipBrowserTests=true}) that opts out of browser tests.
   */
  public static final String OPT_OUT = "sluice.skipBrowserTests";

  private Browser() {}

  public static boolean available() {
    return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
  }

  /**
   * Fails the calling test when Chromium is missing, with the command that installs it; a browser
   * test is skipped only when the user opted out explicitly with {@value #OPT_OUT}.
   */
  public static void requireOrOptOut() {
    if (Boolean.getBoolean(OPT_OUT)) {
      Assumptions.abort("browser tests skipped on request (-D" + OPT_OUT + "=true)");
    }
    if (!available()) {
      throw new AssertionError(
          "headless Chromium is missing ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): install it with 'apt-get install chromium chromium-driver',"
              + " or skip the browser tests with -D"
              + OPT_OUT
              + "=true");
    }
  }

  public static ChromeDriver start(Path profile, int width, int height) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  public static Path screenshot(ChromeDriver driver, String name) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          file,
          StandardCopyOption.REPLACE_EXISTING);
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
