package io.infercore.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A headless Debian Chromium driven through Debian's chromedriver: both paths are given to
 * Selenium, so Selenium Manager never looks for (or downloads) a driver or a browser. Each
 * browser gets a fresh profile directory, deleted on close. Screenshots go to
 * {@code <build dir>/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("ui.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("ui.chromedriver", "/usr/bin/chromedriver"));
    static final String INSTALL_HINT = "apt-get install -y chromium chromium-driver";

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Path screenshots;

    Browser(Path buildDir, int width, int height) {
        try {
            profile = Files.createTempDirectory(buildDir, "chromium-profile-");
            screenshots = Files.createDirectories(buildDir.resolve("screenshots"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(CHROMEDRIVER + " is absent, but " + CHROMIUM + " is installed: install "
                    + "Debian's matching driver too (" + INSTALL_HINT + ")");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--disable-dev-shm-usage", "--lang=en-US", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(buildDir.resolve("chromedriver.log").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Makes the page's viewport (not the window) width x height CSS pixels. */
    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        long dw = width - ((Number) js("return window.innerWidth")).longValue();
        long dh = height - ((Number) js("return window.innerHeight")).longValue();
        if (dw != 0 || dh != 0) {
            driver.manage().window().setSize(new Dimension((int) (width + dw), (int) (height + dh)));
        }
    }

    void open(String url) {
        driver.get(url);
        waitUntil(Duration.ofSeconds(20), d -> "true".equals(js("return document.body.dataset.ready || ''")));
    }

    /** Reloads the page and waits until the UI has started again. */
    void reload() {
        driver.navigate().refresh();
        waitUntil(Duration.ofSeconds(20), d -> "true".equals(js("return document.body.dataset.ready || ''")));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebElement $(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> $$(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until css matches an element that is displayed, and returns it. */
    WebElement visible(String css, Duration timeout) {
        return waitUntil(timeout, d -> {
            for (WebElement e : d.findElements(By.cssSelector(css))) {
                if (e.isDisplayed()) {
                    return e;
                }
            }
            return null;
        });
    }

    WebElement visible(String css) {
        return visible(css, Duration.ofSeconds(15));
    }

    <T> T waitUntil(Duration timeout, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class).until(condition); // the running list rebuilds cards
    }

    /** Rendered text of the first element matching css, or "" when there is none (read in one step: never stale). */
    String text(String css) {
        Object text = js("const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css);
        return text == null ? "" : text.toString();
    }

    /** The screenshot file: the viewport as the user sees it. */
    Path screenshot(String name) {
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover profile under the build directory is harmless
            }
        }
    }
}
