package io.infercore.ui;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI against a service that requires an API key: the first call gets a real 401, the page asks
 * for a key, says so when the key is wrong, and once given the right one sends it as a Bearer token
 * (the service lets the calls through and the runs appear).
 */
@QuarkusTest
@TestProfile(ApiKeyE2eTest.Profile.class)
class ApiKeyE2eTest extends E2eBase {

    static final String KEY = "s3cret-ui-key";

    /** The browser tests' service, with one API key. */
    public static class Profile extends UiTestProfile {
        @Override
        public synchronized Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("infercore.api_keys", KEY);
            return config;
        }
    }

    @Test
    void aRejectedCallAsksForAnApiKeyAndSendsItAsBearer() {
        browser.js("sessionStorage.removeItem('infercore.apiKey')");
        openPage("running");
        browser.visible("#api-key-input");
        assertThat(browser.text(".dialog")).contains("This service requires an API key");
        shot("24-api-key-prompt");
        browser.$("#api-key-input").sendKeys("wrong-key-123", Keys.ENTER);
        browser.waitUntil(Duration.ofSeconds(10), d -> browser.text(".dialog").contains("The API key was rejected"));
        browser.visible("#api-key-input").sendKeys(KEY, Keys.ENTER);
        gone("#api-key-input", Duration.ofSeconds(10));
        browser.visible(".run[data-run-id='builtin-default']", Duration.ofSeconds(10));
        assertThat(browser.js("return sessionStorage.getItem('infercore.apiKey')")).isEqualTo(KEY);
        assertThat(browser.$("#key-button").isDisplayed()).isTrue();
        browser.js("sessionStorage.removeItem('infercore.apiKey')");
    }
}
