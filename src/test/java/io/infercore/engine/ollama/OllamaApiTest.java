package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.Sse;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * The native API ({@code /api/v1/llm/*}) with {@code engine_type: "ollama"} against the fake
 * Ollama 0.12 server: each answer in the envelope, what reached Ollama on the wire, and each
 * error row produced on purpose with the fake's knobs.
 */
@QuarkusTest
@WithTestResource(value = FakeOllamaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OllamaApiTest {

    static final String GENERATE = "/api/v1/llm/generate";
    static final String CHAT = "/api/v1/llm/chat";
    static final String STRUCTURED = "/api/v1/llm/structured-generate";
    static final String ON_OLLAMA = "\"engine_type\":\"ollama\",\"model_name\":\"llama3.2\"";
    static final String CHAT_BODY = "{" + ON_OLLAMA + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"Tell me about a cat\"}],\"max_tokens\":16,\"temperature\":0";

    @FakeOllamaResource.InjectFakeOllama
    FakeEngineProcess fake;

    @AfterEach
    void resetKnobs() {
        fake.resetKnobs();
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    // ---- answers -----------------------------------------------------------------------------

    @Test
    void should_generate_on_ollama_in_the_envelope() {
        post(GENERATE, "{" + ON_OLLAMA + ",\"prompt\":\"Once upon a time\",\"max_tokens\":6,\"seed\":7,"
                + "\"stop\":[\"zzz\"],\"engine_args\":{\"top_k\":5,\"num_ctx\":2048}}")
                .then().statusCode(200)
                .body("code", is(200))
                .body("data.text", not(emptyString()))
                .body("data.reasoning", nullValue())
                .body("data.model_name", is("llama3.2:latest"))
                .body("data.engine_type", is("ollama"))
                .body("data.finish_reason", is("length"))
                .body("data.usage.prompt_tokens", is(4))
                .body("data.usage.completion_tokens", is(6));

        JsonNode sent = fake.lastRequest("/api/generate");
        assertThat(sent.path("model").asText()).isEqualTo("llama3.2:latest");
        assertThat(sent.path("prompt").asText()).isEqualTo("Once upon a time");
        assertThat(sent.path("truncate").asBoolean(true)).as("overflow is an error, not a silent cut").isFalse();
        JsonNode options = sent.path("options");
        assertThat(options.path("num_predict").asInt()).isEqualTo(6);
        assertThat(options.path("seed").asInt()).isEqualTo(7);
        assertThat(options.path("top_k").asInt()).isEqualTo(5);
        assertThat(options.path("num_ctx").asInt()).isEqualTo(2048);
        assertThat(options.path("stop").get(0).asText()).isEqualTo("zzz");
        assertThat(sent.has("format")).as("no null format sent to Go").isFalse();
    }

    @Test
    void should_chat_on_ollama_through_langchain4j() {
        post(CHAT, CHAT_BODY + ",\"engine_args\":{\"min_p\":0.05,\"keep_alive\":60}}")
                .then().statusCode(200)
                .body("data.message.role", is("assistant"))
                .body("data.message.content", not(emptyString()))
                .body("data.engine_type", is("ollama"))
                .body("data.usage.completion_tokens", greaterThan(0));

        JsonNode sent = fake.lastRequest("/api/chat");
        assertThat(sent.path("messages")).hasSize(2);
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("options").path("num_predict").asInt()).isEqualTo(16);
        assertThat(sent.path("options").path("min_p").asDouble()).isEqualTo(0.05);
        assertThat(sent.path("keep_alive").asInt()).isEqualTo(60);
        assertThat(sent.path("truncate").asBoolean(true)).isFalse();
    }

    @Test
    void should_return_reasoning_apart_when_thinking_is_on() {
        post(CHAT, CHAT_BODY + ",\"thinking\":true,\"max_tokens\":40}")
                .then().statusCode(200)
                .body("data.reasoning", not(emptyString()))
                .body("data.text", not(emptyString()));
        assertThat(fake.lastRequest("/api/chat").path("think").asBoolean()).isTrue();
    }

    @Test
    void should_stream_chat_as_sse_deltas_then_done() {
        String plain = post(CHAT, CHAT_BODY + "}").then().statusCode(200).extract().path("data.text");
        String body = post(CHAT, CHAT_BODY + ",\"stream\":true}")
                .then().statusCode(200).contentType(containsString("text/event-stream")).extract().asString();

        List<Sse.Event> events = Sse.parse(body);
        assertThat(events.subList(0, events.size() - 1)).isNotEmpty().allMatch(e -> "delta".equals(e.name()));
        Sse.Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.json().getString("finish_reason")).isIn("stop", "length");
        assertThat(done.json().getString("engine_type")).isEqualTo("ollama");
        assertThat(done.json().getInt("usage.completion_tokens")).isPositive();
        assertThat(Sse.joinedText(events)).isEqualTo(plain);
    }

    @Test
    void should_answer_structured_generate_with_the_schema_sent_as_format() {
        post(STRUCTURED, "{" + ON_OLLAMA + ",\"prompt\":\"Describe a city\",\"max_tokens\":64,"
                + "\"schema\":{\"city\":\"string\",\"population\":\"integer\"}}")
                .then().statusCode(200)
                .body("data.valid", is(true))
                .body("data.json.city", not(emptyString()))
                .body("data.json.population", not(nullValue()))
                .body("data.engine_type", is("ollama"))
                .body("data.attempts", is(1));

        JsonNode format = fake.lastRequest("/api/generate").path("format");
        assertThat(format.path("type").asText()).isEqualTo("object");
        assertThat(format.path("properties").path("population").path("type").asText()).isEqualTo("integer");
    }

    @Test
    void should_embed_on_ollama_through_api_embed() {
        post("/api/v1/llm/embed", "{\"engine_type\":\"ollama\",\"model_name\":\"nomic-embed-text\","
                + "\"input\":[\"first text\",\"second text\"]}")
                .then().statusCode(200)
                .body("data.embeddings.size()", is(2))
                .body("data.embeddings[0].size()", is(16))
                .body("data.dimensions", is(16))
                .body("data.model_name", containsString("nomic-embed-text"))
                .body("data.engine_type", is("ollama"))
                .body("data.usage.prompt_tokens", is(4));

        JsonNode sent = fake.lastRequest("/api/embed");
        assertThat(sent.path("model").asText()).isEqualTo("nomic-embed-text:latest");
        assertThat(sent.path("input")).hasSize(2);
    }

    @Test
    void should_refuse_engine_args_ollama_does_not_take_naming_the_key() {
        post(GENERATE, "{" + ON_OLLAMA + ",\"prompt\":\"hi\",\"engine_args\":{\"grammar\":\"root ::= \\\"a\\\"\"}}")
                .then().statusCode(400)
                .body("msg", containsString("engine_args.grammar"))
                .body("msg", containsString("top_k"));
    }

    // ---- the error table ---------------------------------------------------------------------

    @Test
    void should_answer_404_with_the_pull_hint_for_an_unknown_model() {
        post(GENERATE, "{\"engine_type\":\"ollama\",\"model_name\":\"no-such-model\",\"prompt\":\"hi\"}")
                .then().statusCode(404)
                .body("code", is(404))
                .body("data", nullValue())
                .body("msg", containsString("no-such-model"))
                .body("msg", containsString("ollama pull no-such-model"));
    }

    @Test
    void should_answer_502_when_ollama_answers_500() {
        fake.setKnob("error_status", 500);
        post(CHAT, CHAT_BODY + "}")
                .then().statusCode(502)
                .body("code", is(502))
                .body("msg", containsString("injected HTTP 500"));
    }

    @Test
    void should_answer_504_when_ollama_hangs_past_the_first_token_timeout() {
        fake.setKnob("hang", true);
        long started = System.nanoTime();
        post(GENERATE, "{" + ON_OLLAMA + ",\"prompt\":\"hi\",\"max_tokens\":4}")
                .then().statusCode(504)
                .body("code", is(504))
                .body("msg", containsString("did not answer in time"));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        // FakeOllamaResource.FIRST_TOKEN_TIMEOUT = 2s: never before it, and the hang (endless) is cut
        assertThat(elapsedMs).isBetween(1_900L, 30_000L);
    }

    @Test
    void should_answer_400_with_the_context_size_when_the_prompt_overflows() {
        fake.setKnob("max_model_len", 16);
        post(GENERATE, "{" + ON_OLLAMA + ",\"prompt\":\"" + "word ".repeat(40).strip() + "\",\"max_tokens\":4}")
                .then().statusCode(400)
                .body("msg", containsString("does not fit"))
                .body("msg", containsString("16 tokens"));
    }

    @Test
    void should_end_the_sse_stream_with_an_error_event_when_ollama_fails_mid_stream() {
        fake.setKnob("fail_after_tokens", 2);
        String body = post(CHAT, CHAT_BODY + ",\"stream\":true}")
                .then().statusCode(200).extract().asString();

        List<Sse.Event> events = Sse.parse(body);
        assertThat(events).extracting(Sse.Event::name).containsExactly("delta", "delta", "error");
        Sse.Event error = events.get(2);
        assertThat(error.json().getInt("code")).isEqualTo(502);
        assertThat(error.json().getString("msg")).contains("injected failure");
    }
}
