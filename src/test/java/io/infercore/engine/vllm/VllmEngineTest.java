package io.infercore.engine.vllm;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.FakeEngineUnderTest;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.UpstreamErrors;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** vLLM specifics beyond the contract: engine_args, thinking, API key, a missing base URL (fake vLLM 0.11). */
class VllmEngineTest {

    static final String MODEL = "Qwen/Qwen2-0.5B-Instruct";
    static final Duration WAIT = Duration.ofSeconds(20);
    static FakeEngineProcess fake;
    static FakeEngineProcess secured;
    static VllmEngine engine;

    @BeforeAll
    static void start() {
        fake = FakeEngineProcess.vllm(MODEL);
        secured = FakeEngineProcess.vllm(MODEL, "--api-key", "s3cret-key");
        engine = VllmEngine.at(FakeEngineUnderTest.endpoint(VllmEngine.TYPE, fake.baseUrl()), Map.of());
    }

    @AfterAll
    static void stop() {
        fake.close();
        secured.close();
    }

    static GenerationRequest chat(Map<String, Object> args, Boolean thinking) {
        return new GenerationRequest(MODEL, null, List.of(new ChatMessage("user", "hi")),
                new SamplingParams(4, 0.0, null, List.of(), null), null, args, thinking);
    }

    @Test
    void should_answer_503_with_the_start_hint_when_no_base_url_is_configured() {
        VllmEngine unconfigured = VllmEngine.at(FakeEngineUnderTest.endpoint(VllmEngine.TYPE, null), Map.of());
        for (Runnable call : List.<Runnable>of(
                () -> unconfigured.resolveModel("llama3.2").await().atMost(WAIT),
                () -> unconfigured.generate(chat(Map.of(), null)).await().atMost(WAIT),
                () -> unconfigured.stream(chat(Map.of(), null)).collect().asList().await().atMost(WAIT))) {
            InfercoreException e = catchThrowableOfType(InfercoreException.class, call::run);
            assertThat(e.kind()).isEqualTo(ErrorKind.ENGINE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("vllm.base_url").contains(UpstreamErrors.startHint("vllm"));
        }
        EngineHealth health = unconfigured.health().await().atMost(WAIT);
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains("vllm.base_url");
    }

    @Test
    void should_send_sampling_extras_as_is_and_constraints_as_structured_outputs() {
        engine.generate(chat(Map.of("top_k", 5, "repetition_penalty", 1.1, "guided_choice", List.of("yes", "no")), null))
                .await().atMost(WAIT);
        JsonNode sent = fake.lastRequest("/v1/chat/completions");
        assertThat(sent.path("top_k").asInt()).isEqualTo(5);
        assertThat(sent.path("repetition_penalty").asDouble()).isEqualTo(1.1);
        assertThat(sent.path("structured_outputs").path("choice").toString()).isEqualTo("[\"yes\",\"no\"]");
        assertThat(sent.has("guided_choice")).isFalse();
    }

    @Test
    void should_refuse_an_unsupported_engine_arg_naming_it() {
        InfercoreException e = catchThrowableOfType(InfercoreException.class,
                () -> engine.generate(chat(Map.of("mirostat", 2), null)).await().atMost(WAIT));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("engine_args.mirostat").contains("top_k");
    }

    @Test
    void should_map_thinking_to_chat_template_kwargs() {
        engine.generate(chat(Map.of(), false)).await().atMost(WAIT);
        assertThat(fake.lastRequest("/v1/chat/completions").path("chat_template_kwargs").path("enable_thinking").isBoolean())
                .isTrue();
        assertThat(fake.lastRequest("/v1/chat/completions").path("chat_template_kwargs").path("enable_thinking").asBoolean())
                .isFalse();
    }

    @Test
    void should_request_usage_when_streaming_a_raw_prompt() {
        GenerationRequest prompt = new GenerationRequest(MODEL, "Once upon a time", null,
                new SamplingParams(5, 0.0, null, List.of(), 7L), null, Map.of(), null);
        engine.stream(prompt).collect().asList().await().atMost(WAIT);
        JsonNode sent = fake.lastRequest("/v1/completions");
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.path("seed").asLong()).isEqualTo(7L);
    }

    @Test
    void should_send_the_api_key_as_a_bearer_token_and_never_show_it() {
        RemoteEndpoint right = new RemoteEndpoint(VllmEngine.TYPE, secured.baseUrl(), "s3cret-key",
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(VllmEngine.at(right, Map.of()).generate(chat(Map.of(), null)).await().atMost(WAIT).text()).isNotEmpty();
        assertThat(right.toString()).doesNotContain("s3cret-key");

        VllmEngine wrong = VllmEngine.at(right.withBaseUrl(secured.baseUrl()).withApiKey("wrong"), Map.of());
        InfercoreException e = catchThrowableOfType(InfercoreException.class,
                () -> wrong.generate(chat(Map.of(), null)).await().atMost(WAIT));
        assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(e.getMessage()).contains("api_key").doesNotContain("wrong").doesNotContain("s3cret");
    }
}
