package io.infercore.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.JsonSchemas;
import io.infercore.support.FakeEngineProcess;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link EngineAdapter} must show, whatever engine is behind it: generate,
 * chat, stream order, cancellation reaching the server, structured output, embeddings, reasoning
 * kept apart, and each row of the error table ({@link UpstreamErrors}).
 *
 * <p>A subclass names the engine (and the protocol version its server follows) and returns an
 * {@link EngineUnderTest}. Cases that need fault knobs or server counters are skipped (JUnit
 * assumptions) for engines whose {@link EngineUnderTest#supportsFaults()} is false, e.g. a real
 * server or the embedded engine.
 */
public abstract class EngineAdapterContractTest {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** The engine a subclass puts under test, with hooks to its server's fault knobs and counters. */
    public interface EngineUnderTest {

        EngineAdapter adapter();

        /** A model name the engine serves (before {@link EngineAdapter#resolveModel}). */
        String model();

        /** True when the server has the fakes' {@code /_fake/config} knobs and {@code /_fake/stats}. */
        default boolean supportsFaults() {
            return false;
        }

        /** The server's {@code /_fake/stats}. */
        default JsonNode stats() {
            throw new UnsupportedOperationException("no stats");
        }

        default void setKnob(String name, Object value) {
            throw new UnsupportedOperationException("no knobs");
        }

        /** Back to the knobs the server started with (called after every case). */
        default void resetKnobs() {
        }

        /** How many streams the engine saw cancelled by their client; null when it cannot tell. */
        default Long cancelledStreams() {
            return supportsFaults() ? stats().path("cancelled").asLong() : null;
        }

        /** A request long enough to still be generating when the client cancels after its first delta. */
        default GenerationRequest slowStreamRequest(String model) {
            if (supportsFaults()) {
                setKnob("token_delay_ms", 100);
            }
            return EngineAdapterContractTest.prompt(model, "Tell me a long story about a lighthouse", 64);
        }

        /** An adapter of the same engine configured for {@code baseUrl}; null when it has no URL (embedded). */
        default EngineAdapter adapterAt(String baseUrl) {
            return null;
        }

        /** The first-token timeout the adapter was configured with; null skips the hang case. */
        default Duration firstTokenTimeout() {
            return null;
        }

        /** Whether the engine returns reasoning when asked to think (the fakes do). */
        default boolean supportsThinking() {
            return false;
        }

        /** A model that answers embeddings, and the adapter to ask; null skips the case. */
        default EngineAdapter embeddingAdapter() {
            return adapter().supports(Capability.EMBEDDINGS) ? adapter() : null;
        }

        default String embeddingModel() {
            return model();
        }

        /** Text the model-not-found message must contain besides the name (the engine's fix). */
        default String modelNotFoundHint() {
            return "";
        }
    }

    /** The engine under test; called once per case. */
    protected abstract EngineUnderTest engine();

    @AfterEach
    void resetEngineKnobs() {
        if (engine().supportsFaults()) {
            engine().resetKnobs();
        }
    }

    // ---- requests --------------------------------------------------------------------------

    public static GenerationRequest prompt(String model, String prompt, int maxTokens) {
        return new GenerationRequest(model, prompt, null, sampling(maxTokens), null, Map.of(), null);
    }

    public static GenerationRequest chat(String model, String user, int maxTokens) {
        return new GenerationRequest(model, null, List.of(new ChatMessage("system", "You are brief."),
                new ChatMessage("user", user)), sampling(maxTokens), null, Map.of(), null);
    }

    static SamplingParams sampling(int maxTokens) {
        return new SamplingParams(maxTokens, 0.0, null, List.of(), 42L);
    }

    protected String resolved() {
        return engine().adapter().resolveModel(engine().model()).await().atMost(Duration.ofSeconds(30)).name();
    }

    protected static InfercoreException failureOf(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).as("expected an InfercoreException").isInstanceOf(InfercoreException.class);
        return (InfercoreException) thrown;
    }

    protected static List<StreamEvent> drain(Multi<StreamEvent> stream) {
        return stream.collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    protected void requireFaults() {
        assumeThat(engine().supportsFaults()).as("engine has fault knobs").isTrue();
    }

    // ---- generation ------------------------------------------------------------------------

    @Test
    void should_resolve_the_served_model_and_list_it() {
        ModelInfo info = engine().adapter().resolveModel(engine().model()).await().atMost(Duration.ofSeconds(30));
        assertThat(info.name()).isNotBlank();
        assertThat(info.contextLength()).isGreaterThanOrEqualTo(0);
        List<ModelInfo> models = engine().adapter().listModels().await().atMost(Duration.ofSeconds(30));
        assertThat(models).extracting(ModelInfo::name).contains(info.name());
    }

    @Test
    void should_generate_from_a_raw_prompt() {
        GenerationResult result = engine().adapter().generate(prompt(resolved(), "Once upon a time", 12))
                .await().atMost(Duration.ofSeconds(60));
        assertThat(result.text()).isNotEmpty();
        assertThat(result.finishReason()).isIn("stop", "length");
        assertThat(result.usage().completionTokens()).isBetween(1, 12);
        assertThat(result.usage().promptTokens()).isPositive();
    }

    @Test
    void should_chat() {
        GenerationResult result = engine().adapter().generate(chat(resolved(), "Tell me about a cat", 12))
                .await().atMost(Duration.ofSeconds(60));
        assertThat(result.text()).isNotEmpty();
        assertThat(result.reasoning()).isNull();
        assertThat(result.usage().completionTokens()).isBetween(1, 12);
    }

    @Test
    void should_stream_deltas_then_exactly_one_done_joining_to_the_plain_text() {
        String model = resolved();
        for (GenerationRequest request : List.of(prompt(model, "Once upon a time", 16), chat(model, "Say hello", 16))) {
            String plain = engine().adapter().generate(request).await().atMost(Duration.ofSeconds(60)).text();
            List<StreamEvent> events = drain(engine().adapter().stream(request));

            assertThat(events).hasSizeGreaterThan(1);
            assertThat(events.subList(0, events.size() - 1)).allMatch(e -> e instanceof StreamEvent.Delta);
            assertThat(events.get(events.size() - 1)).isInstanceOf(StreamEvent.Done.class);
            StreamEvent.Done done = (StreamEvent.Done) events.get(events.size() - 1);
            assertThat(done.finishReason()).isIn("stop", "length");
            assertThat(done.usage().completionTokens()).isPositive();
            StringBuilder joined = new StringBuilder();
            events.stream().filter(e -> e instanceof StreamEvent.Delta d && d.text() != null)
                    .forEach(e -> joined.append(((StreamEvent.Delta) e).text()));
            assertThat(joined.toString()).as("streamed text equals the non-streamed text").isEqualTo(plain);
        }
    }

    @Test
    void should_stop_generation_in_the_engine_when_the_stream_is_cancelled() {
        assumeThat(engine().cancelledStreams()).as("engine reports cancelled streams").isNotNull();
        long before = engine().cancelledStreams();
        AssertSubscriber<StreamEvent> subscriber = engine().adapter().stream(engine().slowStreamRequest(resolved()))
                .subscribe().withSubscriber(AssertSubscriber.create(1));
        subscriber.awaitItems(1, Duration.ofSeconds(30));
        subscriber.cancel();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(engine().cancelledStreams()).isGreaterThan(before));
    }

    @Test
    void should_produce_output_that_validates_against_a_json_schema() throws Exception {
        assumeThat(engine().adapter().supports(Capability.STRUCTURED_OUTPUT)).isTrue();
        ObjectNode schema = (ObjectNode) JSON.readTree("{\"type\":\"object\",\"properties\":{"
                + "\"name\":{\"type\":\"string\",\"maxLength\":12},\"happy\":{\"type\":\"boolean\"}},"
                + "\"required\":[\"name\",\"happy\"],\"additionalProperties\":false}");
        GenerationRequest request = chat(resolved(), "Describe a cat as JSON", 200).withJsonSchema(schema);
        GenerationResult result = engine().adapter().generate(request).await().atMost(Duration.ofSeconds(60));
        JsonSchemas.Verdict verdict = JsonSchemas.check(schema, result.text());
        assertThat(verdict.errors()).as("output %s (finish %s)", result.text(), result.finishReason()).isEmpty();
        assertThat(verdict.valid()).isTrue();
    }

    @Test
    void should_keep_reasoning_apart_from_the_text_when_thinking() {
        assumeThat(engine().supportsThinking()).isTrue();
        GenerationRequest plain = chat(resolved(), "Why is the sky blue?", 48);
        GenerationRequest thinking = new GenerationRequest(plain.model(), null, plain.messages(), plain.sampling(),
                null, Map.of(), true);
        GenerationResult result = engine().adapter().generate(thinking).await().atMost(Duration.ofSeconds(60));
        assertThat(result.reasoning()).isNotBlank();
        assertThat(result.text()).isNotBlank().doesNotContain(result.reasoning());

        List<StreamEvent> events = drain(engine().adapter().stream(thinking));
        assertThat(events).anyMatch(e -> e instanceof StreamEvent.Delta d && d.reasoning() != null);
        assertThat(StreamCollector.collect(Multi.createFrom().iterable(events)).await().indefinitely())
                .isEqualTo(result);
    }

    @Test
    void should_embed_inputs_in_order_where_declared() {
        EngineAdapter adapter = engine().embeddingAdapter();
        assumeThat(adapter).as("engine declares embeddings").isNotNull();
        EmbeddingResult result = adapter.embed(engine().embeddingModel(), List.of("first text", "second text"))
                .await().atMost(Duration.ofSeconds(60));
        assertThat(result.embeddings()).hasSize(2);
        assertThat(result.dimensions()).isPositive();
        assertThat(result.embeddings()).allMatch(v -> v.length == result.dimensions());
        assertThat(result.embeddings().get(0)).isNotEqualTo(result.embeddings().get(1));
    }

    // ---- the error table -------------------------------------------------------------------

    @Test
    void should_report_an_unreachable_engine_as_503_naming_engine_url_and_start_hint() {
        String url = "http://127.0.0.1:" + FakeEngineProcess.freePort();
        EngineAdapter adapter = engine().adapterAt(url);
        assumeThat(adapter).as("engine has a URL").isNotNull();
        for (Runnable call : List.<Runnable>of(
                () -> adapter.generate(prompt(engine().model(), "hi", 4)).await().atMost(Duration.ofSeconds(20)),
                () -> drain(adapter.stream(chat(engine().model(), "hi", 4))))) {
            InfercoreException e = failureOf(call);
            assertThat(e.kind()).isEqualTo(ErrorKind.ENGINE_UNAVAILABLE);
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.getMessage()).contains(adapter.type()).contains(url).contains(UpstreamErrors.startHint(adapter.type()));
        }
        EngineHealth health = adapter.health().await().atMost(Duration.ofSeconds(20));
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains(url);
    }

    @Test
    void should_report_an_unknown_model_as_404_with_a_hint() {
        InfercoreException e = failureOf(() -> engine().adapter().resolveModel("no-such-model-42")
                .await().atMost(Duration.ofSeconds(20)));
        assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).contains("no-such-model-42").contains(engine().modelNotFoundHint());
    }

    @Test
    void should_report_a_context_overflow_as_400_with_the_numbers() {
        requireFaults();
        engine().setKnob("max_model_len", 16);
        String longPrompt = "word ".repeat(40).strip();
        for (GenerationRequest request : List.of(prompt(resolved(), longPrompt, 4), chat(resolved(), longPrompt, 4))) {
            InfercoreException e = failureOf(() -> engine().adapter().generate(request).await().atMost(Duration.ofSeconds(20)));
            assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_OVERFLOW);
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).contains("16");
            assertThat(failureOf(() -> drain(engine().adapter().stream(request))).kind()).isEqualTo(ErrorKind.CONTEXT_OVERFLOW);
        }
    }

    @Test
    void should_report_an_upstream_4xx_as_400_with_the_upstream_reason() {
        requireFaults();
        engine().setKnob("error_status", 422);
        InfercoreException e = failureOf(() -> engine().adapter().generate(chat(resolved(), "hi", 4))
                .await().atMost(Duration.ofSeconds(20)));
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("injected HTTP 422");
    }

    @Test
    void should_report_an_upstream_5xx_as_502() {
        requireFaults();
        engine().setKnob("error_status", 500);
        for (Runnable call : List.<Runnable>of(
                () -> engine().adapter().generate(chat(resolved(), "hi", 4)).await().atMost(Duration.ofSeconds(20)),
                () -> engine().adapter().generate(prompt(resolved(), "hi", 4)).await().atMost(Duration.ofSeconds(20)),
                () -> drain(engine().adapter().stream(chat(resolved(), "hi", 4))))) {
            InfercoreException e = failureOf(call);
            assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
            assertThat(e.httpStatus()).isEqualTo(502);
            assertThat(e.getMessage()).contains("injected HTTP 500");
        }
    }

    @Test
    void should_report_a_hanging_engine_as_504_within_the_configured_timeout() {
        requireFaults();
        Duration timeout = engine().firstTokenTimeout();
        assumeThat(timeout).as("first-token timeout known").isNotNull();
        String model = resolved();
        engine().setKnob("hang", true);
        for (Runnable call : List.<Runnable>of(
                () -> engine().adapter().generate(chat(model, "hi", 4)).await().atMost(Duration.ofSeconds(30)),
                () -> drain(engine().adapter().stream(chat(model, "hi", 4))))) {
            long started = System.nanoTime();
            InfercoreException e = failureOf(call);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
            assertThat(e.httpStatus()).isEqualTo(504);
            // never before the timeout; the endless hang is cut well before the 30 s wait gives up
            assertThat(elapsedMs).isBetween(timeout.toMillis() - 100, timeout.toMillis() + 20_000);
        }
    }

    @Test
    void should_fail_the_stream_when_the_engine_reports_an_error_mid_stream() {
        requireFaults();
        engine().setKnob("fail_after_tokens", 2);
        for (GenerationRequest request : List.of(chat(resolved(), "Tell me a story", 20), prompt(resolved(), "Once upon", 20))) {
            AssertSubscriber<StreamEvent> subscriber = engine().adapter().stream(request)
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            subscriber.awaitFailure(Duration.ofSeconds(20));
            assertThat(subscriber.getItems()).allMatch(e -> e instanceof StreamEvent.Delta);
            assertThat(subscriber.getFailure()).isInstanceOf(InfercoreException.class);
            assertThat(((InfercoreException) subscriber.getFailure()).kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
            assertThat(subscriber.getFailure().getMessage()).contains("injected failure");
        }
    }

    @Test
    void should_report_health_of_a_running_engine() {
        resolved(); // an engine that loads its model at start is healthy once it serves it
        EngineHealth health = engine().adapter().health().await().atMost(Duration.ofSeconds(20));
        assertThat(health.up()).as("health: %s", health).isTrue();
        assertThat(health.engine()).isEqualTo(engine().adapter().type());
        if (engine().supportsFaults()) {
            engine().setKnob("unhealthy", true);
            EngineHealth sick = engine().adapter().health().await().atMost(Duration.ofSeconds(20));
            assertThat(sick.up()).isFalse();
        }
    }
}
