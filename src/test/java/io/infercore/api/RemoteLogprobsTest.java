package io.infercore.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.ollama.FakeOllamaResource;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code logprobs}/{@code top_logprobs} and {@code n} on {@code /v1} in front of the fake vLLM 0.11
 * and SGLang servers (their logprobs follow the real vLLM transcripts
 * {@code src/test/fakes/transcripts/vllm-0.11.0/*-logprobs*.txt}): the fields reach the engine,
 * and its log-probabilities come back in OpenAI's chat and legacy shapes, streamed and not. The
 * same for the fake Ollama, whose per-line {@code logprobs} follow the real Ollama 0.17.4
 * transcripts ({@code src/test/fakes/transcripts/ollama-0.17.4/*-logprobs*.txt}).
 */
@QuarkusTest
@WithTestResource(RemoteEnginesResource.class)
@WithTestResource(FakeOllamaResource.class)
class RemoteLogprobsTest {

    private static final String OLLAMA_MODEL = "ollama/llama3.2";

    @FakeOllamaResource.InjectFakeOllama
    FakeEngineProcess ollama;

    @BeforeEach
    void ready() {
        RemoteEnginesResource.vllm.awaitListening();
        RemoteEnginesResource.sglang.awaitListening();
        RemoteEnginesResource.vllm.resetStats();
        RemoteEnginesResource.sglang.resetStats();
    }

    private static String chat(String model, String extra) {
        return """
                {"model":"%s","messages":[{"role":"user","content":"Tell me about a cat"}],"max_tokens":6,
                 "temperature":0%s}""".formatted(model, extra);
    }

    private static String text(String model, String extra) {
        return """
                {"model":"%s","prompt":"Tell me about a cat","max_tokens":6,"temperature":0%s}""".formatted(model, extra);
    }

    private static JsonPath post(String path, String body) {
        return given().contentType("application/json").body(body).post(path)
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }

    private static io.infercore.support.FakeEngineProcess fake(String model) {
        return model.equals(RemoteEnginesResource.VLLM_MODEL) ? RemoteEnginesResource.vllm : RemoteEnginesResource.sglang;
    }

    /** logprob <= 0, alternatives most likely first, at most k of them, the chosen token's entry equal to its own. */
    private static void assertChatToken(Map<String, Object> token, int k) {
        double logprob = ((Number) token.get("logprob")).doubleValue();
        assertThat(logprob).isLessThanOrEqualTo(0);
        assertThat((List<?>) token.get("bytes")).isNotEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> top = (List<Map<String, Object>>) token.get("top_logprobs");
        assertThat(top).hasSizeLessThanOrEqualTo(k).isNotEmpty();
        List<Double> values = top.stream().map(t -> ((Number) t.get("logprob")).doubleValue()).toList();
        assertThat(values).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0));
        assertThat(values).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        top.stream().filter(t -> t.get("token").equals(token.get("token"))).findFirst()
                .ifPresent(same -> assertThat(((Number) same.get("logprob")).doubleValue()).isEqualTo(logprob));
    }

    @ParameterizedTest
    @ValueSource(strings = {RemoteEnginesResource.VLLM_MODEL, RemoteEnginesResource.SGLANG_MODEL})
    void should_pass_chat_logprobs_through_and_map_them_back(String model) {
        JsonPath reply = post("/v1/chat/completions", chat(model, ",\"logprobs\":true,\"top_logprobs\":2"));

        JsonNode sent = fake(model).lastRequest("/v1/chat/completions");
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
        List<Map<String, Object>> content = reply.getList("choices[0].logprobs.content");
        assertThat(content).hasSize(reply.getInt("usage.completion_tokens"));
        content.forEach(t -> assertChatToken(t, 2));
        StringBuilder joined = new StringBuilder();
        content.forEach(t -> joined.append(t.get("token")));
        assertThat(joined.toString()).isEqualTo(reply.getString("choices[0].message.content"));
    }

    @ParameterizedTest
    @ValueSource(strings = {RemoteEnginesResource.VLLM_MODEL, RemoteEnginesResource.SGLANG_MODEL, OLLAMA_MODEL})
    void should_stream_chat_logprobs_with_their_tokens(String model) {
        String body = given().contentType("application/json")
                .body(chat(model, ",\"logprobs\":true,\"top_logprobs\":3,\"stream\":true"))
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        StringBuilder text = new StringBuilder();
        StringBuilder tokens = new StringBuilder();
        int counted = 0;
        for (Sse.Event e : Sse.parse(body)) {
            if (e.data().equals("[DONE]")) {
                continue;
            }
            JsonPath chunk = e.json();
            String delta = chunk.getString("choices[0].delta.content");
            text.append(delta == null ? "" : delta);
            List<Map<String, Object>> content = chunk.getList("choices[0].logprobs.content");
            if (content != null) {
                for (Map<String, Object> t : content) {
                    assertChatToken(t, 3);
                    tokens.append(t.get("token"));
                    counted++;
                }
            }
        }
        assertThat(counted).isPositive();
        assertThat(tokens.toString()).isEqualTo(text.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {RemoteEnginesResource.VLLM_MODEL, RemoteEnginesResource.SGLANG_MODEL})
    void should_pass_legacy_logprobs_through_streamed_or_not(String model) {
        JsonPath reply = post("/v1/completions", text(model, ",\"logprobs\":2"));

        assertThat(fake(model).lastRequest("/v1/completions").path("logprobs").asInt()).isEqualTo(2);
        List<String> tokens = reply.getList("choices[0].logprobs.tokens", String.class);
        assertThat(String.join("", tokens)).isEqualTo(reply.getString("choices[0].text"));
        List<Float> values = reply.getList("choices[0].logprobs.token_logprobs", Float.class);
        assertThat(values).hasSameSizeAs(tokens).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0f));
        List<Map<String, Float>> tops = reply.getList("choices[0].logprobs.top_logprobs");
        assertThat(tops).hasSameSizeAs(tokens).allSatisfy(t -> assertThat(t).hasSizeBetween(1, 2));
        List<Integer> offsets = reply.getList("choices[0].logprobs.text_offset", Integer.class);
        int offset = 0;
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(offsets.get(i)).isEqualTo(offset);
            offset += tokens.get(i).length();
        }

        String streamed = given().contentType("application/json").body(text(model, ",\"logprobs\":1,\"stream\":true"))
                .post("/v1/completions").then().statusCode(200).extract().asString();
        List<String> streamedTokens = new ArrayList<>();
        List<Integer> streamedOffsets = new ArrayList<>();
        for (Sse.Event e : Sse.parse(streamed)) {
            if (!e.data().equals("[DONE]") && e.json().get("choices[0].logprobs") != null) {
                streamedTokens.addAll(e.json().getList("choices[0].logprobs.tokens", String.class));
                streamedOffsets.addAll(e.json().getList("choices[0].logprobs.text_offset", Integer.class));
            }
        }
        assertThat(streamedTokens).isEqualTo(tokens);
        assertThat(streamedOffsets).isEqualTo(offsets);
    }

    @ParameterizedTest
    @ValueSource(strings = {RemoteEnginesResource.VLLM_MODEL, RemoteEnginesResource.SGLANG_MODEL})
    void should_answer_n_choices_with_one_engine_request_each(String model) {
        JsonPath reply = post("/v1/chat/completions", chat(model, ",\"n\":3,\"seed\":11"));

        assertThat(reply.getList("choices.index", Integer.class)).containsExactly(0, 1, 2);
        assertThat(fake(model).stats().path("requests").path("/v1/chat/completions").asInt()).isEqualTo(3);
        assertThat(fake(model).lastRequest("/v1/chat/completions").path("seed").asLong()).isEqualTo(13);
    }

    @Test
    void should_ask_ollama_chat_for_logprobs_and_map_them_back() {
        JsonPath reply = post("/v1/chat/completions", chat(OLLAMA_MODEL, ",\"logprobs\":true,\"top_logprobs\":2"));

        JsonNode sent = ollama.lastRequest("/api/chat");
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
        List<Map<String, Object>> content = reply.getList("choices[0].logprobs.content");
        assertThat(content).isNotEmpty();
        content.forEach(t -> assertChatToken(t, 2));
        StringBuilder joined = new StringBuilder();
        content.forEach(t -> joined.append(t.get("token")));
        assertThat(joined.toString()).isEqualTo(reply.getString("choices[0].message.content"));
    }

    @Test
    void should_ask_ollama_generate_for_legacy_logprobs_streamed_or_not() {
        JsonPath reply = post("/v1/completions", text(OLLAMA_MODEL, ",\"logprobs\":2"));

        JsonNode sent = ollama.lastRequest("/api/generate");
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
        List<String> tokens = reply.getList("choices[0].logprobs.tokens", String.class);
        assertThat(tokens).isNotEmpty();
        assertThat(String.join("", tokens)).isEqualTo(reply.getString("choices[0].text"));
        List<Float> values = reply.getList("choices[0].logprobs.token_logprobs", Float.class);
        assertThat(values).hasSameSizeAs(tokens).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0f));
        List<Map<String, Float>> tops = reply.getList("choices[0].logprobs.top_logprobs");
        assertThat(tops).hasSameSizeAs(tokens).allSatisfy(t -> {
            assertThat(t).hasSizeBetween(1, 2);
            List<Float> ranked = new ArrayList<>(t.values());
            assertThat(ranked).isSortedAccordingTo((a, b) -> Float.compare(b, a))
                    .allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0f));
        });

        String streamed = given().contentType("application/json").body(text(OLLAMA_MODEL, ",\"logprobs\":1,\"stream\":true"))
                .post("/v1/completions").then().statusCode(200).extract().asString();
        List<String> streamedTokens = new ArrayList<>();
        for (Sse.Event e : Sse.parse(streamed)) {
            if (!e.data().equals("[DONE]") && e.json().get("choices[0].logprobs") != null) {
                streamedTokens.addAll(e.json().getList("choices[0].logprobs.tokens", String.class));
            }
        }
        assertThat(streamedTokens).isEqualTo(tokens);
    }
}
