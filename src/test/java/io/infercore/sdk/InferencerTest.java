package io.infercore.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.SamplingParams;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.Completion;
import io.infercore.inference.StructuredResult;
import io.infercore.support.FakeVllmResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Java API on the embedded engine (stories260K, context 512 in the test profile) and on a fake
 * vLLM server. Inside a {@code @QuarkusTest} the application already runs, so {@link Inferencer}
 * uses it as it is (the booting path is {@code InferencerIT}); what is proven here is the API:
 * results, streaming, builder defaults, and the same validation and {@link ErrorKind}s as HTTP.
 */
@QuarkusTest
@WithTestResource(FakeVllmResource.class)
class InferencerTest {

    static final String PROMPT = "Once upon a time";
    static final List<ChatMessage> CHAT = List.of(new ChatMessage("user", "What is 1+1?"));

    @AfterEach
    void resetFake() {
        FakeVllmResource.vllm.awaitListening();
        FakeVllmResource.vllm.resetKnobs();
    }

    private static Inferencer embedded() {
        return Inferencer.builder().maxTokens(12).temperature(0).build();
    }

    private static Inferencer vllm() {
        return Inferencer.builder().engine("vllm").model(FakeVllmResource.MODEL).maxTokens(12).temperature(0).build();
    }

    private static String streamed(io.smallrye.mutiny.Multi<String> pieces) {
        return String.join("", pieces.collect().asList().await().atMost(Duration.ofSeconds(30)));
    }

    @Test
    void should_generate_chat_and_stream_on_the_embedded_model_with_the_configured_defaults() {
        try (Inferencer llm = embedded()) {
            assertThat(llm.engine()).isNull();
            assertThat(llm.model()).isNull();
            Completion full = llm.generateCompletion(PROMPT, null);
            assertThat(full.engineType()).isEqualTo("llamacpp");
            assertThat(full.modelName()).isEqualTo("stories260k");
            assertThat(full.result().text()).isNotBlank();
            assertThat(full.result().usage().completionTokens()).isBetween(1, 12);
            assertThat(llm.generate(PROMPT)).as("greedy decoding is repeatable").isEqualTo(full.result().text());
            assertThat(streamed(llm.stream(PROMPT))).as("the pieces make the whole answer").isEqualTo(full.result().text());

            Completion reply = llm.chatCompletion(CHAT, null);
            assertThat(reply.result().text()).isNotBlank();
            assertThat(reply.result().finishReason()).isIn("stop", "length");
            assertThat(llm.chat(CHAT)).isEqualTo(reply.result().text());
            assertThat(streamed(llm.streamChat(CHAT))).isEqualTo(reply.result().text());
        }
    }

    @Test
    void should_let_a_call_override_the_builder_sampling_defaults() {
        try (Inferencer llm = Inferencer.builder().maxTokens(6).temperature(0).build()) {
            assertThat(llm.generateCompletion(PROMPT, null).result().usage().completionTokens()).isBetween(1, 6);
            assertThat(llm.generateCompletion(PROMPT, new SamplingParams(2, null, null, null, null)).result().usage()
                    .completionTokens()).isBetween(1, 2);
            String viaInt = llm.generate(PROMPT, 2);
            assertThat(viaInt).isEqualTo(llm.generate(PROMPT, new SamplingParams(2, null, null, null, null)));
        }
    }

    @Test
    void should_return_schema_checked_structured_output_for_a_map_json_text_or_json_node_schema() throws Exception {
        try (Inferencer llm = Inferencer.builder().maxTokens(48).temperature(0).build()) {
            for (Object schema : List.of(Map.of("city", "string"), "{\"city\":\"string\"}",
                    new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                            + "\"required\":[\"city\"]}"))) {
                StructuredResult r = llm.structuredGenerate("A city as JSON:", schema);
                assertThat(r.engineType()).isEqualTo("llamacpp");
                assertThat(r.text()).startsWith("{");
                assertThat(r.attempts()).isBetween(1, 2);
                if (r.valid()) {
                    assertThat(r.json().path("city").isTextual()).isTrue();
                } else {
                    assertThat(r.errors()).as("an invalid answer says why").isNotEmpty();
                }
            }
        }
    }

    @Test
    void should_embed_in_input_order_with_the_embedded_embedding_model() {
        try (Inferencer llm = vllm()) { // the generation engine does not matter without embeddingModel
            List<float[]> vectors = llm.embed(List.of("a red apple", "stock markets fell", "a red apple"));
            assertThat(vectors).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(384));
            assertThat(vectors.get(0)).isEqualTo(vectors.get(2));
            assertThat(Arrays.equals(vectors.get(0), vectors.get(1))).isFalse();
            assertThat(llm.embed("a red apple")).isEqualTo(vectors.get(0));
        }
    }

    @Test
    void should_generate_chat_stream_and_structure_on_a_remote_engine_and_pass_its_refusals_through() {
        FakeVllmResource.vllm.resetStats();
        try (Inferencer llm = Inferencer.builder().engine("vllm").model(FakeVllmResource.MODEL)
                .embeddingModel(FakeVllmResource.MODEL).maxTokens(12).build()) {
            Completion c = llm.generateCompletion(PROMPT, null);
            assertThat(c.engineType()).isEqualTo("vllm");
            assertThat(c.modelName()).isEqualTo(FakeVllmResource.MODEL);
            assertThat(c.result().text()).matches("[a-z]+( [a-z]+)*");
            assertThat(streamed(llm.stream(PROMPT))).isEqualTo(c.result().text());
            assertThat(llm.chat(CHAT)).isEqualTo(streamed(llm.streamChat(CHAT))).isNotBlank();

            StructuredResult r = llm.structuredGenerate("A city", Map.of("city", "string", "population", "number"));
            assertThat(r.valid()).as(r.errors().toString()).isTrue();
            assertThat(r.json().path("city").isTextual()).isTrue();
            assertThat(r.json().path("population").isNumber()).isTrue();

            // like the real vLLM, a server started for generation refuses embeddings: the engine's reason comes through
            assertThatThrownBy(() -> llm.embed(List.of("x", "y"))).isInstanceOfSatisfying(InfercoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
                    .hasMessageContaining("does not support Embeddings API");
        }
        var requests = FakeVllmResource.vllm.stats().path("requests");
        // prompts (generate, stream, structured) go to /v1/completions, messages to /v1/chat/completions
        assertThat(requests.path("/v1/completions").asInt()).isEqualTo(3);
        assertThat(requests.path("/v1/chat/completions").asInt()).isEqualTo(2);
        assertThat(requests.path("/v1/embeddings").asInt()).isEqualTo(1);
    }

    @Test
    void should_raise_invalid_request_naming_the_field_like_the_http_api() {
        try (Inferencer llm = embedded(); Inferencer unknownEngine = Inferencer.builder().engine("nope").build()) {
            Map<String, Executable> cases = new LinkedHashMap<>();
            cases.put("prompt", () -> llm.generate(""));
            cases.put("temperature", () -> llm.generate("hi", new SamplingParams(null, 3.0, null, null, null)));
            cases.put("top_p", () -> llm.generate("hi", new SamplingParams(null, null, 0.0, null, null)));
            cases.put("max_tokens", () -> llm.generate("hi", 0));
            cases.put("stop", () -> llm.generate("hi", new SamplingParams(null, null, null, List.of(""), null)));
            cases.put("messages", () -> llm.chat(List.of()));
            cases.put("schema", () -> llm.structuredGenerate("hi", "{not json"));
            cases.put("input", () -> llm.embed(List.of("")));
            cases.put("engine_type", () -> unknownEngine.generate("hi"));
            cases.forEach((param, call) -> {
                InfercoreException e = assertThrows(InfercoreException.class, call, param);
                assertThat(e.kind()).as(param).isEqualTo(ErrorKind.INVALID_REQUEST);
                assertThat(e.param()).as(e.getMessage()).isEqualTo(param);
                assertThat(e.httpStatus()).isEqualTo(400);
            });
            assertThatThrownBy(() -> llm.chat(List.of(new ChatMessage("robot", "hi"))))
                    .isInstanceOf(InfercoreException.class).hasMessageContaining("messages[0].role 'robot'");
            assertThatThrownBy(() -> llm.generate("hi", 100_000)).isInstanceOf(InfercoreException.class)
                    .hasMessageContaining("exceeds the context length of model 'stories260k' (512 tokens)");
        }
    }

    @Test
    void should_validate_a_stream_before_returning_it() {
        try (Inferencer llm = embedded()) {
            InfercoreException e = assertThrows(InfercoreException.class, () -> llm.stream(" "));
            assertThat(e.param()).isEqualTo("prompt");
        }
    }

    @Test
    void should_raise_model_not_found_and_unsupported_as_the_http_api_maps_them() {
        try (Inferencer missingLocal = Inferencer.builder().model("nope").build();
             Inferencer missingRemote = Inferencer.builder().engine("vllm").model("nope").build();
             Inferencer thinking = Inferencer.builder().thinking(true).build()) {
            assertThatThrownBy(() -> missingLocal.generate("hi")).isInstanceOfSatisfying(InfercoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND)).hasMessageContaining("llamacpp.model_path");
            assertThatThrownBy(() -> missingRemote.chat(CHAT)).isInstanceOfSatisfying(InfercoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND)).hasMessageContaining(FakeVllmResource.MODEL);
            assertThatThrownBy(() -> thinking.generate("hi")).isInstanceOfSatisfying(InfercoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED)).hasMessageContaining("thinking");
        }
    }

    @Test
    void should_fail_the_stream_with_an_infercore_exception_when_the_engine_fails_midway() {
        FakeVllmResource.vllm.setKnob("fail_after_tokens", 2);
        try (Inferencer llm = vllm()) {
            io.smallrye.mutiny.Multi<String> pieces = llm.stream(PROMPT);
            assertThatThrownBy(() -> streamed(pieces)).isInstanceOfSatisfying(InfercoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR)).hasMessageContaining("vllm");
            assertThatThrownBy(() -> llm.generate(PROMPT)).isInstanceOf(InfercoreException.class);
        }
    }

    @Test
    void should_use_the_running_application_as_it_is_and_refuse_to_reconfigure_it() {
        assertThatThrownBy(() -> Inferencer.builder().config("infercore.llamacpp.threads", "2").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
    }

    @Test
    void should_refuse_calls_after_close_without_stopping_the_application() {
        Inferencer first = embedded();
        first.close();
        first.close(); // idempotent
        assertThatThrownBy(() -> first.generate(PROMPT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        try (Inferencer second = embedded()) {
            assertThat(second.generate(PROMPT)).isNotBlank();
        }
    }
}
