package io.infercore.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole life of a launched model, in a real browser: the catalog tabs, the configuration
 * panel, live launch progress to ready, chat with streamed tokens, the Stop button cancelling a
 * stream at the engine, the logs viewer, stop with confirmation, and a failed launch showing the
 * engine's log tail. The engine is the fake vLLM (src/test/fakes/vllm), launched for real by the
 * supervisor.
 */
@QuarkusTest
@TestProfile(UiTestProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LaunchAndRunE2eTest extends E2eBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "smollm2-135m";
    private static String runId;

    @Test
    @Order(1)
    void catalogTabsListEveryModelFromTheApi() {
        openPage("launch");
        JsonNode models = api.get("/api/v1/models");
        List<String> llm = new ArrayList<>();
        List<String> embedding = new ArrayList<>();
        List<String> rerank = new ArrayList<>();
        models.forEach(m -> (switch (m.path("model_type").asText()) {
            case "embedding" -> embedding;
            case "rerank" -> rerank;
            default -> llm;
        }).add(m.path("id").asText()));

        browser.visible("#panel-llm .model-card");
        assertThat(cardIds("#panel-llm")).containsExactlyElementsOf(llm);
        shot("01-launch-language-models");

        browser.$("#tab-llm").sendKeys(Keys.ARROW_RIGHT); // keyboard: arrows move between tabs
        browser.visible("#panel-embedding .model-card");
        assertThat(browser.$("#tab-embedding").getAttribute("aria-selected")).isEqualTo("true");
        assertThat(browser.$("#panel-llm").isDisplayed()).isFalse();
        assertThat(cardIds("#panel-embedding")).containsExactlyElementsOf(embedding);
        shot("02-launch-embedding-models");
        browser.$("#tab-embedding").sendKeys(Keys.ARROW_RIGHT);
        browser.visible("#panel-rerank .model-card");
        assertThat(cardIds("#panel-rerank")).containsExactlyElementsOf(rerank);
        browser.$("#tab-rerank").sendKeys(Keys.ARROW_LEFT);
        browser.$("#tab-embedding").sendKeys(Keys.ARROW_LEFT);
        browser.visible("#panel-llm .model-card");
    }

    @Test
    @Order(2)
    void configurationPanelNarrowsOptionsAndSendsEveryValue() {
        openConfig(MODEL);
        Select engine = new Select(browser.$("#launch-form select[name=engine]"));
        // the catalog's engines for this model, each selectable because the size has a source for it
        assertThat(engine.getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactly("llamacpp", "ollama", "vllm", "sglang");
        engine.selectByValue("ollama");
        assertThat(browser.$("#launch-form input[name=replicas]").isEnabled()).isFalse();
        assertThat(browser.$("#launch-form input[name=nGpu]").isDisplayed()).isFalse();

        engine.selectByValue("vllm");
        Select quantization = new Select(browser.$("#launch-form select[name=quantization]"));
        // the catalog's "q4_1" is the GGUF file's type: llama.cpp only, so vLLM is not offered it
        assertThat(quantization.getOptions()).extracting(o -> o.getAttribute("value")).containsExactly("none");
        quantization.selectByValue("none");
        new Select(browser.$("#launch-form select[name=format]")).selectByValue("safetensors");
        type(browser.$("#launch-form input[name=nGpu]"), "0");
        type(browser.$("#launch-form input[name=replicas]"), "1");
        new Select(browser.$("#launch-form select[name=thinking]")).selectByValue("off");
        browser.$("#launch-form details.advanced summary").click();
        JsonNode preview = readJson(browser.$("#launch-preview").getText());
        assertThat(preview).isEqualTo(JSON.valueToTree(Map.of("model_id", MODEL, "size", "135M", "engine_type", "vllm",
                "quantization", "none", "format", "safetensors", "n_gpu", 0, "replicas", 1, "enable_thinking", false)));
        shot("03-launch-configuration");
    }

    @Test
    @Order(3)
    void launchShowsLiveProgressUntilReady() {
        recordLaunchProgress();
        browser.$("#launch-submit").click();
        browser.visible(".task");
        browser.waitUntil(Duration.ofSeconds(20), d -> "loading".equals(browser.$(".task").getAttribute("data-stage")));
        shot("04-launch-progress");
        WebElement badge = browser.visible(".task .badge.status[data-status=ready]", LONG);
        assertThat(badge.getText()).isEqualTo("Ready");
        runId = browser.$(".task").getAttribute("data-run-id");
        assertThat(browser.text(".task .task-pct")).isEqualTo("100%");
        shot("05-launch-ready");

        List<Map<String, String>> seen = launchProgress();
        Set<String> stages = new LinkedHashSet<>();
        List<Integer> percents = new ArrayList<>();
        seen.forEach(p -> {
            stages.add(p.get("s"));
            percents.add(Integer.parseInt(p.get("p").replace("%", "")));
        });
        stages.remove(""); // before the first event
        // events can arrive together (then the page shows only the last): the order is what counts
        assertThat(stages).containsSubsequence("launching", "loading", "ready");
        assertThat(List.of("resolving", "downloading", "launching", "loading", "ready")).containsSubsequence(stages);
        assertThat(browser.$(".task .stepper li[data-stage=resolving]").getAttribute("class")).contains("done");
        assertThat(browser.$(".task .stepper li[data-stage=downloading]").getAttribute("class")).contains("skipped");
        assertThat(percents).isSorted();
        assertThat(new LinkedHashSet<>(percents)).hasSizeGreaterThanOrEqualTo(4); // it moved, more than once

        JsonNode run = api.run(runId);
        assertThat(run.path("status").asText()).isEqualTo("running");
        assertThat(run.path("engine_type").asText()).isEqualTo("vllm");
        assertThat(run.path("load_format").asText()).isEqualTo("safetensors");
        assertThat(run.path("n_gpu").asInt()).isZero();
        assertThat(run.path("replica_count").asInt()).isEqualTo(1);
        assertThat(run.path("enable_thinking").asBoolean(true)).isFalse();
    }

    @Test
    @Order(4)
    void chatStreamsTokensAsTheyArrive() {
        browser.$(".task .task-actions .btn-primary").click(); // "Try it"
        browser.visible("#drawer #chat-input");
        assertThat(browser.$("#drawer-tab-chat").getAttribute("aria-selected")).isEqualTo("true");
        recordAssistantText();
        type(browser.$("#chat-input"), "Hello there");
        browser.$("#chat-input").sendKeys(Keys.ENTER);
        browser.waitUntil(Duration.ofSeconds(10), d -> !browser.text(".bubble-assistant .bubble-text").isEmpty());
        shot("06-chat-streaming");
        WebElement status = browser.visible("#chat-status");
        browser.waitUntil(Duration.ofSeconds(30), d -> status.getText().contains("finish"));
        shot("07-chat-done");

        String shown = browser.text(".bubble-assistant .bubble-text");
        JsonNode reply = api.post("/api/v1/llm/chat", Map.of("run_id", runId, "max_tokens", 128,
                "messages", List.of(Map.of("role", "user", "content", "Hello there"))));
        assertThat(shown).isEqualTo(reply.path("text").asText()); // the fake's answer is deterministic
        List<Long> lengths = samples();
        assertThat(lengths).isSorted();
        assertThat(new LinkedHashSet<>(lengths)).as("text grew token by token").hasSizeGreaterThanOrEqualTo(5);
        assertThat(lengths.get(0)).isLessThan(shown.length());
    }

    @Test
    @Order(5)
    void stopButtonAbortsTheStreamAndTheEngineSeesTheCancel() {
        String engine = api.run(runId).path("replicas").get(0).path("base_url").asText();
        api.postRaw(engine + "/_fake/config", "{\"token_delay_ms\": 400}");
        api.postRaw(engine + "/_fake/reset", "{}");
        try {
            type(browser.$("#chat-input"), "Tell me a long story");
            browser.$("#chat-send").click();
            browser.waitUntil(Duration.ofSeconds(10), d -> lastBubble().split(" ").length >= 2);
            assertThat(browser.$("#chat-stop").isEnabled()).isTrue();
            browser.$("#chat-stop").click();
            browser.visible(".bubble-assistant:last-of-type .bubble-note");
            assertThat(browser.text("#chat-status")).isEqualTo("Stopped.");
            browser.waitUntil(Duration.ofSeconds(5), d -> api.getRaw(engine + "/_fake/stats").path("cancelled").asInt() >= 1);
        } finally {
            api.postRaw(engine + "/_fake/config", "{\"token_delay_ms\": " + UiTestProfile.TOKEN_DELAY_MS + "}");
        }
        pressEscape(); // Escape closes the drawer
        gone("#drawer", Duration.ofSeconds(5));
    }

    @Test
    @Order(6)
    void logsViewerShowsTheEngineOutput() {
        openPage("running");
        String card = ".run[data-run-id='" + runId + "']";
        browser.visible(card);
        browser.$(card + " [data-action=logs]").click();
        browser.visible(".dialog-logs");
        browser.waitUntil(Duration.ofSeconds(10), d -> browser.text("#log-text").contains("Application startup complete"));
        shot("08-logs-viewer");
        new Select(browser.$("#log-source")).selectByValue("events");
        assertThat(browser.text("#log-text")).contains("ready at http://127.0.0.1:");
        pressEscape();
        gone(".dialog-logs", Duration.ofSeconds(5));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("data-action")).isEqualTo("logs");
    }

    @Test
    @Order(7)
    void stopAsksForConfirmationThenStopsTheEngine() {
        String card = ".run[data-run-id='" + runId + "']";
        long pid = api.run(runId).path("replicas").get(0).path("pid").asLong();
        browser.$(card + " [data-action=stop]").click();
        browser.visible("#confirm-ok");
        shot("09-stop-confirmation");
        pressEscape(); // Escape cancels: the run stays
        gone("#confirm-ok", Duration.ofSeconds(5));
        assertThat(api.run(runId)).isNotNull();

        browser.$(card + " [data-action=stop]").click();
        browser.visible("#confirm-ok").click();
        gone(card, Duration.ofSeconds(30));
        assertThat(api.run(runId)).isNull();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("engine process gone").isFalse();
        shot("10-running-after-stop");
    }

    @Test
    @Order(8)
    void failedLaunchShowsTheErrorAndTheEngineLogTail() {
        openPage("launch");
        openConfig(MODEL);
        new Select(browser.$("#launch-form select[name=engine]")).selectByValue("vllm");
        type(browser.$("#launch-form input[name=nGpu]"), "0");
        browser.$("#launch-form details.advanced summary").click();
        type(browser.$("#launch-form textarea[name=engineArgs]"), "{\"dtype\": \"bogus\"}");
        browser.$("#launch-submit").click();
        browser.visible(".task .badge.status[data-status=failed]", LONG);
        assertThat(browser.text(".task .log-tail pre")).contains("invalid choice: 'bogus'");
        assertThat(browser.text(".task .alert-error .alert-msg")).contains("exited").doesNotContain("--dtype");
        assertThat(browser.text(".task .alert-error")).contains("request_id");
        shot("11-launch-failed-log-tail");

        String failed = browser.$(".task").getAttribute("data-run-id");
        openPage("running"); // the failed run stays listed, with its reason and the log folded away
        String card = ".run[data-run-id='" + failed + "']";
        assertThat(browser.visible(card + " .badge.status").getText()).isEqualTo("Failed");
        assertThat(browser.text(card + " .alert-msg")).doesNotContain("--dtype");
        browser.$(card + " .log-tail summary").click();
        assertThat(browser.text(card + " .log-tail pre")).contains("invalid choice: 'bogus'");
        shot("29-running-failed-run");
        browser.$(card + " [data-action=stop]").click(); // a failed run is cleared like any other
        browser.visible("#confirm-ok").click();
        gone(card, Duration.ofSeconds(20));
        assertThat(api.run(failed)).isNull();
    }

    @Test
    @Order(9)
    void aLaunchCanBeCancelledWhileItLoads() {
        openPage("launch");
        openConfig("qwen2-0.5b");
        new Select(browser.$("#launch-form select[name=engine]")).selectByValue("vllm");
        type(browser.$("#launch-form input[name=nGpu]"), "0");
        browser.$("#launch-submit").click();
        browser.waitUntil(Duration.ofSeconds(20), d -> "loading".equals(browser.$(".task").getAttribute("data-stage")));
        String cancelled = browser.$(".task").getAttribute("data-run-id");
        browser.$(".task .task-tools .btn").click(); // "Cancel launch"
        browser.visible("#confirm-ok").click();
        browser.visible(".task .badge.status[data-status=cancelled]", Duration.ofSeconds(20));
        assertThat(browser.text(".task .task-message")).isEqualTo("Launch cancelled.");
        assertThat(api.run(cancelled)).isNull();
    }

    private void openConfig(String modelId) {
        browser.visible(".model-card[data-model-id='" + modelId + "'] .launch-open").click();
        browser.visible("#launch-form");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("name")).isEqualTo("model");
    }

    private List<String> cardIds(String panel) {
        return browser.$$(panel + " .model-card").stream().map(c -> c.getAttribute("data-model-id")).toList();
    }

    private void recordAssistantText() {
        browser.js("""
                window.__lengths = [];
                const t = document.getElementById('chat-transcript');
                new MutationObserver(() => {
                  const b = t.querySelectorAll('.bubble-assistant .bubble-text');
                  const n = b.length ? b[b.length - 1].textContent.length : 0;
                  if (n && window.__lengths[window.__lengths.length - 1] !== n) window.__lengths.push(n);
                }).observe(t, { subtree: true, childList: true, characterData: true });""");
    }

    private List<Long> samples() {
        @SuppressWarnings("unchecked")
        List<Long> lengths = (List<Long>) browser.js("return window.__lengths");
        return lengths;
    }

    private String lastBubble() {
        List<WebElement> bubbles = browser.$$(".bubble-assistant .bubble-text");
        return bubbles.isEmpty() ? "" : bubbles.get(bubbles.size() - 1).getText().strip();
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
