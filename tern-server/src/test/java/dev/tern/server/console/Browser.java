package dev.tern.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven by its chromedriver ({@code apt-get install chromium chromium-driver}), with the
 * browser console captured so a test can assert it logged no error, and screenshots saved under
 * {@code target/console-screenshots}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Dimension DESKTOP = new Dimension(1440, 900);
    static final Dimension LAPTOP = new Dimension(1280, 720);

    final ChromeDriver driver;

    Browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1440,900",
                "--disable-extensions",
                "--no-first-run",
                "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits up to 15 s for the condition to give something other than null or false. */
    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    /** Waits for an element to be present and visible. */
    WebElement visible(String css) {
        return await(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(WebElement::isDisplayed)
                .findFirst()
                .orElse(null));
    }

    /** The text of a visible element, read again if the page drew the element anew between finding and reading it. */
    String textOf(String css) {
        return await(d -> visible(css).getText());
    }

    /** Clicks a visible element, found again if the page drew it anew before the click landed. */
    void click(String css) {
        await(d -> {
            visible(css).click();
            return true;
        });
    }

    /** Waits for an element whose text contains text. */
    WebElement withText(String css, String text) {
        return await(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.getText().contains(text))
                .findFirst()
                .orElse(null));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves the whole page, not only the window, as target/console-screenshots/NAME.png. */
    void screenshot(String name) {
        Dimension window = driver.manage().window().getSize();
        Number height = (Number) script("return Math.max(document.documentElement.scrollHeight, window.innerHeight)");
        boolean modal = (Boolean) script("return !!document.querySelector('dialog[open]')");
        if (!modal)
            driver.manage().window().setSize(new Dimension(window.getWidth(), Math.min(6000, height.intValue() + 140)));
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(
                    SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!modal) driver.manage().window().setSize(window);
        }
    }

    /** The browser console's entries since the last call. */
    List<LogEntry> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /**
     * Fails if the browser console logged a warning or error (a failed request, an uncaught exception) since the last
     * call.
     */
    void assertConsoleClean() {
        List<String> bad = consoleLog().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(e -> e.getLevel() + " " + e.getMessage())
                .toList();
        assertThat(bad).as("browser console").isEmpty();
    }

    /** Fails if a form control on the page has neither a label nor an aria-label. */
    void assertEveryInputLabelled() {
        Object unlabelled = script("return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => "
                + "e.name || e.outerHTML)");
        assertThat((List<?>) unlabelled).as("form controls without a label").isEmpty();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
