package io.infercore.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A launch that downloads: a GGUF the embedded engine fetches from the (slow, local) stand-in
 * hub, with the byte counts shown while it downloads; then the launched model answers in the
 * drawer by its run_id (chat, and generate with a stop sequence), and is stopped.
 */
@QuarkusTest
@TestProfile(UiTestProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownloadLaunchE2eTest extends E2eBase {

    private static String runId;

    @Test
    @Order(1)
    void launchShowsTheDownloadWithItsByteCounts() {
        openPage("launch");
        browser.visible(".model-card[data-model-id='" + UiTestProfile.TINY + "'] .launch-open").click();
        Select engine = new Select(browser.visible("#launch-form select[name=engine]"));
        assertThat(engine.getOptions()).extracting(o -> o.getAttribute("value")).containsExactly("llamacpp");
        assertThat(browser.text("#launch-form .source")).isEqualTo(SlowHub.REPO + "/" + SlowHub.FILE);
        recordLaunchProgress();
        browser.$("#launch-submit").click();
        browser.waitUntil(Duration.ofSeconds(20), d -> browser.text(".task .task-bytes").contains(" / 1.1 MB"));
        shot("27-launch-downloading");
        browser.visible(".task .badge.status[data-status=ready]", LONG);
        runId = browser.$(".task").getAttribute("data-run-id");

        List<Map<String, String>> seen = launchProgress();
        List<String> bytes = seen.stream().filter(p -> "downloading".equals(p.get("s"))).map(p -> p.get("b"))
                .filter(b -> !b.isEmpty()).distinct().toList();
        assertThat(bytes).as("byte counts while downloading").hasSizeGreaterThanOrEqualTo(2)
                .allMatch(b -> b.matches("[\\d.]+ (B|KB|MB) / 1\\.1 MB"));
        assertThat(seen).extracting(p -> p.get("s")).containsSubsequence("downloading", "loading", "ready");
        JsonNode run = api.run(runId);
        assertThat(run.path("engine_type").asText()).isEqualTo("llamacpp");
        assertThat(run.path("mode").asText()).isEqualTo("embedded");
        assertThat(run.path("status").asText()).isEqualTo("running");
    }

    @Test
    @Order(2)
    void theLaunchedModelAnswersByItsRunId() {
        browser.$(".task .task-actions .btn-primary").click(); // "Try it"
        type(browser.visible("#chat-input"), "Once upon a time");
        browser.$("#chat-input").sendKeys(Keys.ENTER);
        browser.waitUntil(LONG, d -> browser.text("#chat-status").contains("finish"));
        assertThat(browser.text(".bubble-assistant .bubble-text")).isNotBlank();
        shot("28-chat-launched-model");

        browser.$("#drawer-tab-generate").click();
        type(browser.visible("#gen-prompt"), "Once upon a time");
        type(browser.$(".params input[name=temperature]"), "0");
        type(browser.$(".params textarea[name=stop]"), ".");
        browser.$("#drawer-panel-generate button[type=submit]").click();
        browser.waitUntil(LONG, d -> browser.text("#gen-status").contains("finish"));
        assertThat(browser.text("#gen-status")).contains("finish: stop");
        assertThat(browser.text("#gen-output")).isNotBlank().doesNotContain(".");
        pressEscape();
        gone("#drawer", Duration.ofSeconds(5));
    }

    @Test
    @Order(3)
    void stoppingItUnloadsIt() {
        openPage("running");
        String card = ".run[data-run-id='" + runId + "']";
        assertThat(browser.visible(card).getText()).contains("Embedded (in-process)");
        browser.$(card + " [data-action=stop]").click();
        browser.visible("#confirm-ok").click();
        gone(card, Duration.ofSeconds(20));
        assertThat(api.run(runId)).isNull();
    }
}
