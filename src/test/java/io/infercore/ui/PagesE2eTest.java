package io.infercore.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages as a whole: the running list (built-in runs, self-refresh), the language toggle and
 * its persistence, the 800 px layout and keyboard entry. The API-key prompt: {@link ApiKeyE2eTest}.
 */
@QuarkusTest
@TestProfile(UiTestProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesE2eTest extends E2eBase {

    @Test
    @Order(1)
    void runningPageShowsTheBuiltInModelsAsRuns() {
        openPage("running");
        String card = ".run[data-run-id='builtin-default']";
        browser.visible(card);
        assertThat(browser.text(card + " .card-title")).isEqualTo("stories260k");
        assertThat(browser.text(card + " .badge.status")).isEqualTo("Running");
        assertThat(browser.text(card + " .badges")).contains("Built-in");
        assertThat(browser.$(card + " [data-action=stop]").isEnabled()).isFalse();
        assertThat(browser.text(card + " .facts")).contains("In-process");
        String uptime = browser.text(card + " .uptime");
        assertThat(uptime).matches("\\d+[smhd].*");
        browser.waitUntil(Duration.ofSeconds(3), d -> !browser.text(card + " .uptime").equals(uptime)); // it ticks
        assertThat(browser.$$(".run[data-run-id='builtin-embedding']")).hasSize(1);
        shot("17-running-models");
    }

    @Test
    @Order(2)
    void runningPageRefreshesItself() {
        JsonNode started = api.post("/api/v1/models/start", Map.of("model_id", "qwen2-0.5b", "engine_type", "vllm",
                "n_gpu", 0));
        String card = ".run[data-run-id='" + started.path("run_id").asText() + "']";
        try {
            browser.visible(card, Duration.ofSeconds(12)); // no click: the page polls
            browser.waitUntil(LONG, d -> "Running".equals(browser.text(card + " .badge.status")));
            assertThat(browser.text(card + " .facts")).contains("http://127.0.0.1:");
        } finally {
            api.post("/api/v1/models/running/" + started.path("run_id").asText() + "/stop", Map.of());
        }
        gone(card, Duration.ofSeconds(12));
    }

    @Test
    @Order(3)
    void languageChoiceIsTranslatedAndRemembered() {
        openPage("launch");
        browser.visible(".model-card");
        browser.$("#lang-toggle").click();
        assertThat(browser.text("#nav-launch")).isEqualTo("启动模型");
        assertThat(browser.text("#tab-llm")).startsWith("语言模型");
        assertThat(browser.js("return document.documentElement.lang")).isEqualTo("zh-CN");
        browser.reload(); // a fresh load keeps the choice
        browser.visible(".model-card");
        assertThat(browser.text("#nav-running")).isEqualTo("运行模型");
        assertThat(browser.js("return localStorage.getItem('infercore.lang')")).isEqualTo("zh");
        shot("18-launch-zh");
        browser.$("#nav-running").click();
        browser.visible(".run[data-run-id='builtin-default']");
        assertThat(browser.text(".run[data-run-id='builtin-default'] .badge.status")).isEqualTo("运行中");
        shot("19-running-zh");
        Object untranslated = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/messages.js').then(({ MESSAGES }) => {
                  const en = Object.keys(MESSAGES.en), zh = Object.keys(MESSAGES.zh);
                  const shown = [...document.querySelectorAll('[data-i18n]')].filter((e) => e.textContent === e.dataset.i18n);
                  done([...en.filter((k) => !zh.includes(k)), ...zh.filter((k) => !en.includes(k)),
                    ...shown.map((e) => e.dataset.i18n)].join(', '));
                });""");
        assertThat(untranslated).as("keys missing in one language, or shown untranslated").isEqualTo("");
        browser.$("#lang-toggle").click();
        assertThat(browser.text("#nav-running")).isEqualTo("Running Models");
        assertThat(browser.js("return localStorage.getItem('infercore.lang')")).isEqualTo("en");
    }

    @Test
    @Order(4)
    void layoutWorksAt800Pixels() {
        browser.size(800, 1000);
        try {
            openPage("launch");
            browser.visible(".model-card");
            assertNoHorizontalScroll();
            shot("20-launch-800");
            browser.$(".model-card[data-model-id='qwen2-0.5b'] .launch-open").click();
            browser.visible("#launch-form");
            assertNoHorizontalScroll();
            shot("21-launch-config-800");
            pressEscape();
            gone("#launch-form", Duration.ofSeconds(5));
            browser.$("#nav-running").click();
            browser.visible(".run[data-run-id='builtin-default']");
            assertNoHorizontalScroll();
            shot("22-running-800");
            browser.$(".run[data-run-id='builtin-default'] [data-action=try]").click();
            browser.visible("#drawer #chat-input");
            assertThat(((Number) browser.js("return document.getElementById('drawer').getBoundingClientRect().width"))
                    .intValue()).isEqualTo(800);
            shot("23-drawer-800");
            pressEscape();
            gone("#drawer", Duration.ofSeconds(5));
        } finally {
            browser.size(1280, 900);
        }
    }

    @Test
    @Order(5)
    void keyboardReachesTheSkipLinkAndTheNavigationFirst() {
        openPage("launch");
        browser.$("body").sendKeys(Keys.TAB);
        assertThat(browser.driver.switchTo().activeElement().getAttribute("class")).contains("skip-link");
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("nav-launch");
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB, Keys.ENTER); // Running Models
        browser.visible(".run[data-run-id='builtin-default']");
        assertThat(browser.$("#nav-running").getAttribute("aria-current")).isEqualTo("page");
    }

    @Test
    @Order(7)
    void sseParserHandlesEveryWayAStreamCanBeCut() {
        openPage("launch");
        // the page's own module, fed one stream cut at every position, with LF and CRLF line ends
        Object result = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/sse.js').then(({ SseParser }) => {
                  const frames = ': comment\\nevent: delta\\ndata: {"text":"a"}\\n\\nevent: delta\\ndata: {"text":"\\u4f60"}\\n\\n'
                    + 'data: line1\\ndata: line2\\n\\nevent: done\\ndata: {"finish_reason":"stop"}\\n\\nevent: delta\\ndata: dropped';
                  const expected = JSON.stringify([['delta', '{"text":"a"}'], ['delta', '{"text":"\\u4f60"}'],
                    ['message', 'line1\\nline2'], ['done', '{"finish_reason":"stop"}']]);
                  const failures = [];
                  for (const text of [frames, frames.replace(/\\n/g, '\\r\\n')]) {
                    for (let cut = 0; cut <= text.length; cut++) {
                      const got = [];
                      const p = new SseParser((n, d) => got.push([n, d]));
                      p.push(text.slice(0, cut)); p.push(text.slice(cut)); p.finish();
                      if (JSON.stringify(got) !== expected) failures.push(cut + ': ' + JSON.stringify(got));
                    }
                  }
                  done(failures.slice(0, 3).join(' | '));
                }).catch((e) => done('import failed: ' + e));""");
        assertThat(result).isEqualTo("");
    }

    @Test
    @Order(8)
    void emptyStatesSayWhatToDoNext() {
        // an empty catalog and no runs cannot be had from this service: answer both lists with [] in the page
        Map<String, Object> script = browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of(
                "source", """
                        const real = window.fetch;
                        window.fetch = (url, opts) => /\\/api\\/v1\\/models(\\/running)?$/.test(String(url))
                          ? Promise.resolve(new Response('{"request_id":"x","code":200,"msg":"success","data":[]}',
                              { headers: { 'Content-Type': 'application/json' } }))
                          : real(url, opts);"""));
        try {
            openPage("launch");
            assertThat(browser.visible("#panel-llm .empty").getText())
                    .contains("The catalog has no language models.").contains("models.json");
            assertThat(browser.text("#tab-llm")).contains("0");
            shot("25-empty-catalog");
            browser.$("#nav-running").click();
            assertThat(browser.visible("#run-list .empty").getText()).contains("No models are running.");
            shot("26-empty-running");
            browser.$("#run-list .empty a").click(); // "Launch a model"
            browser.visible("#page-launch");
            assertThat(browser.$("#nav-launch").getAttribute("aria-current")).isEqualTo("page");
        } finally {
            browser.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script.get("identifier")));
        }
        openPage("launch");
        browser.visible("#panel-llm .model-card");
    }

    @Test
    @Order(9)
    void everyVisibleControlHasAnAccessibleName() {
        openPage("launch");
        browser.visible(".model-card");
        assertAllLabelled("launch page");
        browser.$(".model-card[data-model-id='smollm2-135m'] .launch-open").click();
        browser.visible("#launch-form details.advanced summary").click();
        assertAllLabelled("launch configuration");
        pressEscape();
        browser.$("#nav-running").click();
        browser.visible(".run[data-run-id='builtin-default'] [data-action=logs]").click();
        browser.visible("#log-source");
        assertAllLabelled("logs dialog");
        pressEscape();
        assertAllLabelled("running page");
        browser.visible(".run[data-run-id='builtin-default'] [data-action=try]").click();
        for (String tab : List.of("chat", "generate", "structured")) {
            browser.visible("#drawer-tab-" + tab).click();
            assertAllLabelled("drawer " + tab);
        }
        pressEscape();
        browser.visible(".run[data-run-id='builtin-embedding'] [data-action=try]").click();
        browser.visible("#emb-a");
        assertAllLabelled("drawer embeddings");
        pressEscape();
    }

    private void assertAllLabelled(String where) {
        Object unnamed = browser.js("""
                return [...document.querySelectorAll('input, select, textarea, button, a[href]')]
                  .filter((e) => e.getClientRects().length > 0)
                  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                    && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
                  .map((e) => e.outerHTML.slice(0, 80)).join(' | ');""");
        assertThat(unnamed).as("controls without an accessible name on the " + where).isEqualTo("");
    }

    private void assertNoHorizontalScroll() {
        assertThat(((Number) browser.js("return document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(((Number) browser.js("return window.innerWidth")).intValue());
    }
}
