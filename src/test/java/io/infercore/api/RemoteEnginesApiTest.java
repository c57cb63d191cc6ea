package io.infercore.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

/**
 * {@code /api/v1/llm/*} answered by the vLLM and SGLang adapters through the inference service,
 * against the fake vLLM 0.11 and SGLang 0.5 servers ({@link RemoteEnginesResource}), and each
 * row of the error table produced on purpose and asserted on the envelope.
 */
@QuarkusTest
@WithTestResource(RemoteEnginesResource.class)
class RemoteEnginesApiTest {

    static final String GENERATE = "/api/v1/llm/generate";
    static final String CHAT = "/api/v1/llm/chat";
    static final String STRUCTURED = "/api/v1/llm/structured-generate";

    @AfterEach
    void resetFakes() {
        for (FakeEngineProcess fake : List.of(RemoteEnginesResource.vllm, RemoteEnginesResource.sglang)) {
            fake.awaitListening();
            fake.resetKnobs();
        }
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    static String target(String engine) {
        return "\"engine_type\":\"" + engine + "\",\"model_name\":\"" + RemoteEnginesResource.model(engine) + "\"";
    }

    static String chatBody(String engine, String extra) {
        return "{" + target(engine) + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about a cat\"}],"
                + "\"max_tokens\":12,\"temperature\":0" + extra + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_generate_from_a_prompt(String engine) {
        post(GENERATE, "{" + target(engine) + ",\"prompt\":\"Once upon a time\",\"max_tokens\":6,\"temperature\":0}")
                .then().statusCode(200)
                .body("data.engine_type", is(engine))
                .body("data.model_name", is(RemoteEnginesResource.model(engine)))
                .body("data.text", not(emptyString()))
                .body("data.finish_reason", is("length"))
                .body("data.usage.completion_tokens", is(6))
                .body("data.usage.prompt_tokens", is(4));
    }

    @Test
    void should_resolve_the_vllm_alias_to_the_served_model() {
        post(GENERATE, "{\"engine_type\":\"vllm\",\"model_name\":\"llama3.2\",\"prompt\":\"Hi\",\"max_tokens\":3}")
                .then().statusCode(200)
                .body("data.model_name", is(RemoteEnginesResource.VLLM_MODEL));
        assertThat(RemoteEnginesResource.vllm.lastRequest("/v1/completions").path("model").asText())
                .isEqualTo(RemoteEnginesResource.VLLM_MODEL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_chat_and_stream_the_same_text(String engine) {
        Response answer = post(CHAT, chatBody(engine, ""));
        answer.then().statusCode(200).body("data.message.role", is("assistant"));
        String plain = answer.path("data.text");
        int completionTokens = answer.path("data.usage.completion_tokens");
        assertThat(completionTokens).isBetween(1, 12);
        Response streamed = post(CHAT, chatBody(engine, ",\"stream\":true"));
        streamed.then().statusCode(200).contentType("text/event-stream");
        List<Sse.Event> events = Sse.parse(streamed.asString());
        assertThat(events.subList(0, events.size() - 1)).allMatch(e -> "delta".equals(e.name()));
        Sse.Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.json().getString("engine_type")).isEqualTo(engine);
        assertThat(done.json().getInt("usage.completion_tokens")).isEqualTo(completionTokens);
        assertThat(Sse.joinedText(events)).isEqualTo(plain).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_answer_structured_generate_with_valid_json(String engine) {
        post(STRUCTURED, "{" + target(engine) + ",\"prompt\":\"Describe a cat\",\"max_tokens\":64,"
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":30}},\"required\":[\"name\",\"age\"]}}")
                .then().statusCode(200)
                .body("data.valid", is(true))
                .body("data.json.name", not(emptyString()));
        JsonNode sent = "vllm".equals(engine)
                ? RemoteEnginesResource.vllm.lastRequest("/v1/completions").path("response_format")
                : RemoteEnginesResource.sglang.lastRequest("/generate").path("sampling_params").path("json_schema");
        assertThat("vllm".equals(engine) ? sent.path("type").asText() : sent.isTextual() ? "string" : sent.getNodeType().name())
                .isEqualTo("vllm".equals(engine) ? "json_schema" : "string");
    }

    // ---- the error table, through the envelope ----------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_answer_503_naming_engine_url_and_hint_when_the_engine_is_unreachable(String engine) {
        FakeEngineProcess fake = RemoteEnginesResource.fake(engine);
        fake.restartFor(3);
        post(CHAT, chatBody(engine, ""))
                .then().statusCode(503)
                .body("code", is(503))
                .body("msg", containsString(engine))
                .body("msg", containsString(fake.baseUrl()))
                .body("msg", containsString("start it with"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_answer_404_with_the_served_names_for_an_unknown_model(String engine) {
        post(CHAT, "{\"engine_type\":\"" + engine + "\",\"model_name\":\"no-such-model\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then().statusCode(404)
                .body("code", is(404))
                .body("msg", containsString("no-such-model"))
                .body("msg", containsString(RemoteEnginesResource.model(engine)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_answer_400_with_the_numbers_when_the_prompt_overflows_the_context(String engine) {
        RemoteEnginesResource.fake(engine).setKnob("max_model_len", 16);
        post(GENERATE, "{" + target(engine) + ",\"prompt\":\"" + "word ".repeat(40).strip() + "\",\"max_tokens\":4}")
                .then().statusCode(400)
                .body("code", is(400))
                .body("msg", containsString("16"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_answer_502_when_the_engine_fails_with_a_5xx(String engine) {
        RemoteEnginesResource.fake(engine).setKnob("error_status", 500);
        post(CHAT, chatBody(engine, ""))
                .then().statusCode(502)
                .body("code", is(502))
                .body("msg", containsString("injected HTTP 500"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_answer_504_within_the_configured_timeout_when_the_engine_hangs(String engine) {
        RemoteEnginesResource.fake(engine).setKnob("hang", true);
        long started = System.nanoTime();
        post(CHAT, chatBody(engine, ""))
                .then().statusCode(504)
                .body("code", is(504))
                .body("msg", containsString("timeouts.first_token"));
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1_900L, 30_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_end_the_stream_with_an_error_event_when_the_engine_fails_mid_stream(String engine) {
        RemoteEnginesResource.fake(engine).setKnob("fail_after_tokens", 2);
        Response streamed = post(CHAT, chatBody(engine, ",\"stream\":true"));
        streamed.then().statusCode(200).contentType("text/event-stream");
        List<Sse.Event> events = Sse.parse(streamed.asString());
        assertThat(events).filteredOn(e -> "delta".equals(e.name())).hasSize(2);
        Sse.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.json().getInt("code")).isEqualTo(502);
        assertThat(last.json().getString("msg")).contains("injected failure");
    }

    @Test
    void should_refuse_engine_args_the_engine_does_not_support_naming_the_key() {
        post(CHAT, chatBody("vllm", ",\"engine_args\":{\"mirostat\":2}"))
                .then().statusCode(400)
                .body("msg", containsString("engine_args.mirostat"));
        post(GENERATE, "{" + target("sglang") + ",\"prompt\":\"Hi\",\"engine_args\":{\"grammar\":\"root ::= x\"}}")
                .then().statusCode(400)
                .body("msg", containsString("engine_args.grammar"));
    }
}
