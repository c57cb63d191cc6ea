package io.infercore.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inference drawer against the models the service runs by itself: Generate on the embedded
 * stories260K model, parameter checks, API errors with their request_id, Structured Output (valid
 * and invalid results with the validator's errors), Embeddings (dimension and cosine), Escape, and Chat
 * through each API the drawer can switch to (native, OpenAI chat, Responses, Anthropic, Ollama).
 */
@QuarkusTest
@TestProfile(UiTestProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceE2eTest extends E2eBase {

    private static final String DEFAULT_RUN = "builtin-default";
    private static final String EMBEDDING_RUN = "builtin-embedding";

    @Test
    @Order(1)
    void generateStreamsTheEmbeddedModelsText() {
        openDrawer(DEFAULT_RUN);
        browser.$("#drawer-tab-generate").click();
        type(browser.visible("#gen-prompt"), "Once upon a time");
        type(browser.$(".params input[name=max_tokens]"), "48");
        browser.$("#drawer-panel-generate button[type=submit]").click();
        browser.waitUntil(Duration.ofSeconds(60), d -> browser.text("#gen-status").contains("finish"));
        assertThat(browser.text("#gen-output")).isNotBlank();
        assertThat(browser.text("#gen-status")).containsPattern("\\d+ prompt \\+ \\d+ generated tokens").contains("tokens/s");
        shot("12-generate");
    }

    @Test
    @Order(2)
    void parametersAreCheckedBeforeAnythingIsSent() {
        String before = browser.text("#gen-output");
        type(browser.$(".params input[name=temperature]"), "5");
        browser.$("#drawer-panel-generate button[type=submit]").click();
        assertThat(browser.text(".params .field-error")).isEqualTo("Temperature must be between 0 and 2.");
        assertThat(browser.$(".params input[name=temperature]").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("name")).isEqualTo("temperature");
        assertThat(browser.text("#gen-output")).isEqualTo(before);
        type(browser.$(".params input[name=temperature]"), "0.7");
    }

    @Test
    @Order(3)
    void apiErrorsAreReadableAndCarryTheRequestId() {
        type(browser.$(".params input[name=max_tokens]"), "100000"); // above the model's context
        browser.$("#drawer-panel-generate button[type=submit]").click();
        String alert = browser.visible("#drawer-panel-generate .alert-error").getText();
        assertThat(alert).contains("Request failed").contains("max_tokens").contains("HTTP 400");
        assertThat(browser.text("#drawer-panel-generate .request-id")).matches("[0-9a-f-]{36}");
        shot("13-api-error");
        type(browser.$(".params input[name=max_tokens]"), "128");
    }

    @Test
    @Order(4)
    void structuredOutputShowsValidResults() {
        browser.$("#drawer-tab-structured").click();
        browser.visible("#so-schema");
        type(browser.$("#so-schema"), "{\"type\": \"object\",");
        assertThat(browser.text("#so-check")).startsWith("The schema is not valid JSON");
        assertThat(browser.$("#so-schema").getAttribute("aria-invalid")).isEqualTo("true");
        new Select(browser.$("#so-sample")).selectByValue("character");
        browser.$("#so-insert").click();
        assertThat(browser.text("#so-check")).isEqualTo("The schema is valid JSON.");
        browser.$("#so-run").click();
        browser.visible("#so-valid", LONG);
        assertThat(browser.$("#so-valid").getAttribute("data-valid")).isEqualTo("true");
        JsonNode json = parse(browser.text("#so-json"));
        assertThat(json.has("name") && json.has("age") && json.has("friendly")).as(json.toString()).isTrue();
        shot("14-structured-valid");
    }

    @Test
    @Order(5)
    void structuredOutputShowsInvalidResultsWithTheValidatorsErrors() {
        type(browser.$(".params input[name=max_tokens]"), "3"); // too short for the JSON to close
        browser.$("#so-run").click();
        browser.waitUntil(LONG, d -> "false".equals(browser.js(
                "const e = document.getElementById('so-valid'); return e ? e.dataset.valid : ''")));
        assertThat(browser.text("#so-valid")).isEqualTo("Invalid");
        assertThat(browser.text("#so-errors")).contains("not valid JSON");
        shot("15-structured-invalid");
        type(browser.$(".params input[name=max_tokens]"), "128");
    }

    @Test
    @Order(6)
    void escapeClosesTheDrawerAndGivesFocusBack() {
        pressEscape();
        gone("#drawer", Duration.ofSeconds(5));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("data-action")).isEqualTo("try");
    }

    @Test
    @Order(7)
    void embeddingsShowTheDimensionAndTheCosineSimilarity() {
        openDrawer(EMBEDDING_RUN);
        assertThat(browser.$$("#drawer [role=tab]")).hasSize(1); // an embedding run only embeds
        type(browser.visible("#emb-a"), "The cat sits on the mat.");
        type(browser.$("#emb-b"), "A kitten is resting on a rug.");
        browser.$("#emb-run").click();
        browser.visible("#emb-cosine", LONG);
        JsonNode data = api.post("/api/v1/llm/embed", Map.of("run_id", EMBEDDING_RUN,
                "input", List.of("The cat sits on the mat.", "A kitten is resting on a rug.")));
        assertThat(browser.text("#emb-dim")).isEqualTo(data.path("dimensions").asText());
        assertThat(browser.text("#emb-cosine")).isEqualTo(String.format(java.util.Locale.ROOT, "%.4f",
                cosine(data.path("embeddings").get(0), data.path("embeddings").get(1))));
        shot("16-embeddings");
        pressEscape();
        gone("#drawer", Duration.ofSeconds(5));
    }

    @Test
    @Order(8)
    void chatGoesThroughEachOfTheFiveApisAndTheChoiceIsRemembered() {
        openDrawer(DEFAULT_RUN);
        type(browser.$(".params input[name=max_tokens]"), "24");
        String[][] apis = {{"infercore", "true"}, {"openai", "true"}, {"responses", "false"}, {"anthropic", "true"},
            {"ollama", "false"}, {"responses", "true"}, {"ollama", "true"}, {"openai", "false"}, {"anthropic", "false"}};
        for (String[] api : apis) {
            new Select(browser.$("#chat-api")).selectByValue(api[0]);
            if (browser.$("#chat-stream").isSelected() != Boolean.parseBoolean(api[1])) {
                browser.$("#chat-stream").click();
            }
            browser.$("#chat-clear").click();
            type(browser.$("#chat-input"), "Once upon a time");
            browser.$("#chat-send").click();
            browser.waitUntil(LONG, d -> browser.$$("#chat-transcript .bubble-assistant").size() == 1
                    && !browser.text("#chat-status").contains("replying") && !browser.text("#chat-status").isBlank()
                    || !browser.$$("#drawer-panel-chat .alert-error").isEmpty());
            assertThat(browser.$$("#drawer-panel-chat .alert-error")).as(String.join("/", api)).isEmpty();
            assertThat(browser.text("#chat-transcript .bubble-assistant .bubble-text")).as(String.join("/", api)).isNotBlank();
        }
        assertThat(browser.js("return localStorage.getItem('infercore.chatApi')")).isEqualTo("anthropic");
        shot("17-chat-apis");
        pressEscape();
        gone("#drawer", Duration.ofSeconds(5));
        openDrawer(DEFAULT_RUN);
        assertThat(new Select(browser.$("#chat-api")).getFirstSelectedOption().getAttribute("value")).isEqualTo("anthropic");
        new Select(browser.$("#chat-api")).selectByValue("infercore");
        pressEscape();
        gone("#drawer", Duration.ofSeconds(5));
    }

    private void openDrawer(String runId) {
        openPage("running");
        browser.visible(".run[data-run-id='" + runId + "'] [data-action=try]").click();
        browser.visible("#drawer");
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
            na += a.get(i).asDouble() * a.get(i).asDouble();
            nb += b.get(i).asDouble() * b.get(i).asDouble();
        }
        return dot / Math.sqrt(na * nb);
    }

    private static JsonNode parse(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
