package io.infercore.ui;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Launch page's search and filters over the catalog, the facts a card shows (context length,
 * licence, gated state with the hf_token hint), and registering then deleting a custom model
 * through the Register form, in a real browser.
 */
@QuarkusTest
@TestProfile(UiTestProfile.class)
class CatalogE2eTest extends E2eBase {

    @Test
    void searchFiltersShowFactsAndRegisterThenDeleteACustomModel() {
        openPage("launch");
        browser.visible("#panel-llm .model-card");
        type(browser.$("#catalog-search"), "llama-3.3");
        browser.waitUntil(LONG, d -> cardIds("#panel-llm").equals(List.of("llama3.3")));
        String card = ".model-card[data-model-id='llama3.3']";
        assertThat(browser.text(card + " .context-length")).isEqualTo("131,072 tokens");
        assertThat(browser.text(card + " .license")).isEqualTo("llama3.3");
        assertThat(browser.text(card + " .badge-gated")).isEqualTo("Gated");
        assertThat(browser.text(card + " .gated-hint")).contains("hf_token");
        shot("10-catalog-search");

        type(browser.$("#catalog-search"), "gpt");
        browser.waitUntil(LONG, d -> cardIds("#panel-llm").equals(List.of("gpt-oss")));
        new Select(browser.$("#filter-ability")).selectByValue("vision");
        browser.waitUntil(LONG, d -> cardIds("#panel-llm").isEmpty());
        assertThat(browser.text("#panel-llm .empty")).contains("No model matches");
        new Select(browser.$("#filter-ability")).selectByValue("reasoning");
        new Select(browser.$("#filter-engine")).selectByValue("sglang");
        browser.waitUntil(LONG, d -> cardIds("#panel-llm").equals(List.of("gpt-oss")));
        type(browser.$("#catalog-search"), "qwen");
        browser.waitUntil(LONG, d -> cardIds("#panel-llm").contains("qwen3") && !cardIds("#panel-llm").contains("qwen2.5-vl"));
        new Select(browser.$("#filter-ability")).selectByValue("");
        new Select(browser.$("#filter-engine")).selectByValue("");
        browser.$("#catalog-search").clear();
        browser.js("document.getElementById('catalog-search').dispatchEvent(new Event('input'))");

        browser.visible("#register-open").click();
        browser.visible("#register-form");
        type(browser.$("#register-form input[name=id]"), "e2e-custom");
        type(browser.$("#register-form input[name=name]"), "E2E custom model");
        new Select(browser.$("#register-form select[name=source]")).selectByValue("ollama_name");
        type(browser.$("#register-form input[name=value]"), "my-model:7b");
        type(browser.$("#register-form input[name=context]"), "4096");
        browser.$("#register-submit").click();
        gone("#register-form", LONG);
        String custom = ".model-card[data-model-id='e2e-custom']";
        browser.visible(custom);
        assertThat(browser.text(custom + " .badge-custom")).isEqualTo("Custom");
        assertThat(browser.text(custom + " .context-length")).isEqualTo("4,096 tokens");
        assertThat(api.get("/api/v1/models/registrations").findValuesAsText("id")).contains("e2e-custom");
        shot("11-catalog-custom-model");

        browser.$(custom + " .unregister").click();
        browser.visible("#confirm-ok").click();
        gone(custom, LONG);
        assertThat(api.get("/api/v1/models/registrations").findValuesAsText("id")).doesNotContain("e2e-custom");
    }

    private List<String> cardIds(String panel) {
        return browser.$$(panel + " .model-card").stream().map(c -> c.getAttribute("data-model-id")).toList();
    }
}
