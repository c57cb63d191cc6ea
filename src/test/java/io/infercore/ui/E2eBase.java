package io.infercore.ui;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Shared set-up of the browser tests: one headless Chromium per test class at 1280 x 900, the
 * service's URL, and its API for checks behind the browser's back. Skipped (before the service
 * starts) when Chromium is not installed.
 */
@Tag("browser")
@ExtendWith(ChromiumCondition.class)
abstract class E2eBase {

    static final Duration LONG = Duration.ofSeconds(60);
    static Browser browser;

    @TestHTTPResource("/")
    URL root;
    /** Set instead of {@link #root} when the flows are driven against a service started by hand. */
    String base;
    Api api;

    /** The build output folder in use (target, or the one named by -Dbuild.dir), from where the tests were compiled. */
    static Path buildDir() {
        try {
            return Path.of(E2eBase.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void openBrowser() {
        if (base == null) {
            base = root.toString();
        }
        api = new Api(base);
        if (browser == null) {
            browser = new Browser(buildDir(), 1280, 900);
            browser.driver.get(base);
            browser.size(1280, 900);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Loads the UI at a route ("launch", "running") with English as the language. */
    void openPage(String route) {
        browser.driver.get(base);
        browser.js("localStorage.setItem('infercore.lang', 'en')");
        browser.open(base + "#/" + route);
    }

    /**
     * Starts recording what the first launch card shows: {s: stage, p: "42%", b: bytes text}, on
     * every change. Progress events that arrive in one network read are applied in one task, and
     * the observer runs after it: the stages set in between are recovered from the mutation
     * records' old values (each recorded with the percentage shown before the batch).
     */
    void recordLaunchProgress() {
        browser.js("""
                window.__progress = [];
                const box = document.getElementById('launch-tasks');
                const push = (now) => {
                  const last = window.__progress[window.__progress.length - 1];
                  if (!last || last.s !== now.s || last.p !== now.p || last.b !== now.b) window.__progress.push(now);
                };
                new MutationObserver((records) => {
                  const card = box.querySelector('.task');
                  if (!card) return;
                  const set = records.filter(r => r.type === 'attributes' && r.attributeName === 'data-stage'
                    && r.target === card).map(r => r.oldValue || '');
                  const before = window.__progress[window.__progress.length - 1];
                  set.slice(1).forEach(s => push({ s, p: before ? before.p : '0%', b: before ? before.b : '' }));
                  push({ s: card.dataset.stage || '', p: card.querySelector('.task-pct').textContent,
                    b: card.querySelector('.task-bytes').textContent });
                }).observe(box, { subtree: true, childList: true, characterData: true, attributes: true,
                  attributeOldValue: true });""");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, String>> launchProgress() {
        return (List<Map<String, String>>) browser.js("return window.__progress");
    }

    Path shot(String name) {
        Path file = browser.screenshot(name);
        System.out.println("[ui-e2e] screenshot " + file);
        return file;
    }

    void type(WebElement field, String text) {
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }

    void pressEscape() {
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    }

    /** Waits until no element matches css. */
    void gone(String css, Duration timeout) {
        browser.waitUntil(timeout, d -> Boolean.TRUE.equals(browser.js(
                "return ![...document.querySelectorAll(arguments[0])].some(e => e.getClientRects().length > 0)", css)));
    }
}
