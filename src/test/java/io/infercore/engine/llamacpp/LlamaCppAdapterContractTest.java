package io.infercore.engine.llamacpp;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineAdapterContractTest;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayName;

import java.util.List;
import java.util.Map;

/**
 * The engine contract for the embedded llama.cpp engine (java-llama.cpp, in process) with the
 * real stories260K GGUF. It has no server, so no fault knobs and no URL: the error rows that need
 * them are skipped; cancellation is read from the engine's own counter.
 */
@QuarkusTest
@DisplayName("embedded llama.cpp (java-llama.cpp 4.2, stories260K)")
class LlamaCppAdapterContractTest extends EngineAdapterContractTest {

    @Inject
    LlamaCppEngine engine;
    @Inject
    InfercoreConfig config;

    @Override
    protected EngineUnderTest engine() {
        return new EngineUnderTest() {
            @Override
            public EngineAdapter adapter() {
                return engine;
            }

            @Override
            public String model() {
                return config.defaultModelName();
            }

            @Override
            public Long cancelledStreams() {
                return engine.cancelledGenerations();
            }

            @Override
            public GenerationRequest slowStreamRequest(String model) {
                return new GenerationRequest(model, "Once upon a time", null,
                        new SamplingParams(400, 0.0, null, List.of(), null), null, Map.of("ignore_eos", true), null);
            }

            @Override
            public String embeddingModel() {
                return engine.defaultEmbeddingModel().orElse(model());
            }
        };
    }
}
