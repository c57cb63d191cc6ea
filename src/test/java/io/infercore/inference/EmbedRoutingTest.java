package io.infercore.inference;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.Capability;
import io.infercore.engine.EmbeddingResult;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.EngineProvider;
import io.infercore.engine.EngineRegistry;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.StreamEvent;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.metrics.InferenceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The routing rules of {@link InferenceService#embed} with fake engines, no Quarkus: which
 * engine and model answer when the request leaves them out, and the refusals no real engine of
 * this build can trigger over HTTP (an engine without embeddings, a wrong number of vectors).
 */
class EmbedRoutingTest {

    private final List<String> calls = new ArrayList<>();
    private List<String> lastInputs;
    private InferenceService service;

    @BeforeEach
    void setUp() {
        service = new InferenceService();
        service.metrics = new InferenceMetrics(new SimpleMeterRegistry());
        service.supervisor = new io.infercore.supervisor.Supervisor(); // not started: serves no run
        service.config = proxy(InfercoreConfig.class, Map.of("defaultEngine", "remote",
                "defaultEmbeddingModel", "all-minilm-l6-v2", "defaultModelName", "a-generation-model"));
        service.engines = registry(
                new FakeEngine("llamacpp", true, "all-minilm-l6-v2", 1),
                new FakeEngine("remote", true, null, 1),
                new FakeEngine("generate-only", false, null, 1),
                new FakeEngine("broken", true, "lossy", 0));
    }

    private EmbeddingCompletion embed(String engine, String model, List<String> inputs) {
        return service.embed(new Target(engine, model, null), inputs).await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void should_send_a_request_without_engine_or_model_to_the_embedded_default() {
        EmbeddingCompletion c = embed(null, null, List.of("a"));
        assertThat(c.engineType()).isEqualTo("llamacpp");
        assertThat(c.modelName()).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void should_send_the_embedded_model_name_to_the_embedded_engine_whatever_the_default_engine() {
        assertThat(embed(null, "all-minilm-l6-v2", List.of("a")).engineType()).isEqualTo("llamacpp");
        assertThat(calls).containsExactly("llamacpp/all-minilm-l6-v2");
    }

    @Test
    void should_send_another_model_name_to_the_default_engine() {
        EmbeddingCompletion c = embed(null, "nomic-embed-text", List.of("a"));
        assertThat(c.engineType()).isEqualTo("remote");
        assertThat(c.modelName()).isEqualTo("nomic-embed-text");
    }

    @Test
    void should_use_the_engine_default_embedding_model_never_the_generation_default() {
        assertThat(embed("llamacpp", null, List.of("a")).modelName()).isEqualTo("all-minilm-l6-v2");
        InfercoreException e = catchThrowableOfType(InfercoreException.class, () -> embed("remote", " ", List.of("a")));
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("model_name");
        assertThat(e.getMessage()).contains("'remote' has no default embedding model");
        assertThat(calls).containsExactly("llamacpp/all-minilm-l6-v2");
    }

    @Test
    void should_refuse_an_engine_without_the_embeddings_capability() {
        InfercoreException e = catchThrowableOfType(InfercoreException.class,
                () -> embed("generate-only", "any", List.of("a")));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Engine 'generate-only' does not support embeddings");
        assertThat(calls).isEmpty();
    }

    @Test
    void should_pass_the_inputs_in_order_and_report_a_wrong_vector_count_as_502() {
        EmbeddingCompletion c = embed("remote", "m", List.of("one", "two", "three"));
        assertThat(lastInputs).containsExactly("one", "two", "three");
        assertThat(c.result().embeddings()).extracting(v -> v[0]).containsExactly(3f, 3f, 5f);
        InfercoreException e = catchThrowableOfType(InfercoreException.class, () -> embed("broken", null, List.of("a", "b")));
        assertThat(e.httpStatus()).isEqualTo(502);
        assertThat(e.getMessage()).contains("returned 1 vectors for 2 inputs");
    }

    @Test
    void should_validate_inputs_before_choosing_an_engine() {
        InfercoreException e = catchThrowableOfType(InfercoreException.class, () -> embed("warp-drive", null, List.of()));
        assertThat(e.param()).isEqualTo("input");
        assertThat(calls).isEmpty();
    }

    /** An engine that embeds text {@code t} as the vector {@code [t.length(), i]}, one per input (or one fewer). */
    private final class FakeEngine implements EngineAdapter {
        private final String type;
        private final boolean embeds;
        private final String defaultModel;
        private final int vectorsPerInput;

        FakeEngine(String type, boolean embeds, String defaultModel, int vectorsPerInput) {
            this.type = type;
            this.embeds = embeds;
            this.defaultModel = defaultModel;
            this.vectorsPerInput = vectorsPerInput;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Set<Capability> capabilities() {
            return embeds ? EnumSet.of(Capability.GENERATE, Capability.EMBEDDINGS) : EnumSet.of(Capability.GENERATE);
        }

        @Override
        public Optional<String> defaultEmbeddingModel() {
            return Optional.ofNullable(defaultModel);
        }

        @Override
        public Uni<EmbeddingResult> embed(String model, List<String> inputs) {
            calls.add(type + "/" + model);
            lastInputs = inputs;
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < inputs.size() - (vectorsPerInput == 0 ? 1 : 0); i++) {
                vectors.add(new float[] {inputs.get(i).length(), i});
            }
            return Uni.createFrom().item(new EmbeddingResult(vectors, 2, model, inputs.size()));
        }

        @Override
        public Uni<ModelInfo> resolveModel(String model) {
            return Uni.createFrom().item(new ModelInfo(model, 0));
        }

        @Override
        public Uni<List<ModelInfo>> listModels() {
            return Uni.createFrom().item(List.of());
        }

        @Override
        public Multi<StreamEvent> stream(GenerationRequest request) {
            return Multi.createFrom().empty();
        }

        @Override
        public Uni<EngineHealth> health() {
            return Uni.createFrom().item(new EngineHealth(type, true, "fake", ""));
        }
    }

    /** The registry as CDI would build it, the fake {@code llamacpp} described as the in-process engine. */
    private static EngineRegistry registry(EngineAdapter... adapters) {
        return new EngineRegistry(List.of(adapters), List.of(new InProcessProvider("llamacpp")));
    }

    /** The provider of an in-process engine holding no model. */
    private record InProcessProvider(String type) implements EngineProvider, EngineProvider.InProcess {
        @Override
        public Optional<InProcess> inProcess() {
            return Optional.of(this);
        }

        @Override
        public java.nio.file.Path defaultModelPath() {
            return java.nio.file.Path.of("none.gguf");
        }

        @Override
        public Optional<String> status(String model) {
            return Optional.empty();
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> loadDefault(String name) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    /** An implementation of {@code type} whose no-argument methods answer from {@code answers}, and nothing else. */
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(EmbedRoutingTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> {
                    Object answer = answers.get(method.getName());
                    if (answer == null || args != null) {
                        throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
                    }
                    return answer;
                }));
    }
}
