package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineAdapterContractTest;
import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The engine contract against the fake Ollama server, through the application's own {@link OllamaEngine} bean. */
@QuarkusTest
@WithTestResource(value = FakeOllamaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@DisplayName("Ollama API 0.12 protocol (fake)")
class OllamaAdapterContractTest extends EngineAdapterContractTest {

    @FakeOllamaResource.InjectFakeOllama
    FakeEngineProcess fake;
    @Inject
    OllamaEngine ollama;
    @Inject
    InfercoreConfig config;
    @Inject
    Vertx vertx;
    @Inject
    ObjectMapper mapper;

    private final List<OllamaEngine> elsewhere = new ArrayList<>();

    @AfterEach
    void closeExtraEngines() {
        elsewhere.forEach(OllamaEngine::close);
        elsewhere.clear();
    }

    @Override
    protected EngineUnderTest engine() {
        return new EngineUnderTest() {
            @Override
            public EngineAdapter adapter() {
                return ollama;
            }

            @Override
            public String model() {
                return "llama3.2";
            }

            @Override
            public boolean supportsFaults() {
                return true;
            }

            @Override
            public JsonNode stats() {
                return fake.stats();
            }

            @Override
            public void setKnob(String name, Object value) {
                fake.setKnob(name, value);
            }

            @Override
            public void resetKnobs() {
                fake.resetKnobs();
            }

            @Override
            public EngineAdapter adapterAt(String baseUrl) {
                OllamaEngine engine = new OllamaEngine(baseUrl, config.ollama().timeouts(), vertx, mapper);
                elsewhere.add(engine);
                return engine;
            }

            @Override
            public Duration firstTokenTimeout() {
                return config.ollama().timeouts().firstToken();
            }

            @Override
            public boolean supportsThinking() {
                return true;
            }

            @Override
            public String embeddingModel() {
                return "nomic-embed-text";
            }

            @Override
            public String modelNotFoundHint() {
                return "ollama pull no-such-model-42";
            }
        };
    }
}
