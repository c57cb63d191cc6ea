package io.infercore.engine.vllm;

import io.infercore.engine.EngineAdapterContractTest;
import io.infercore.engine.FakeEngineUnderTest;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.util.Map;

/**
 * The engine contract for {@link VllmEngine} against the fake vLLM server following the vLLM
 * 0.11 OpenAI-compatible protocol (nested error envelope). Embeddings run against a second fake
 * started as a pooling model, as vLLM serves embeddings only from those.
 */
@DisplayName("vLLM 0.11 protocol (fake)")
class VllmAdapterContractTest extends EngineAdapterContractTest {

    static final String SERVED = "Qwen/Qwen2-0.5B-Instruct";
    static FakeEngineProcess fake;
    static FakeEngineProcess pooling;
    static FakeEngineUnderTest engine;

    @BeforeAll
    static void start() {
        fake = FakeEngineProcess.vllm(SERVED);
        pooling = FakeEngineProcess.vllm("intfloat/e5-small", "--runner", "pooling");
        engine = new FakeEngineUnderTest(fake, VllmEngine.TYPE, "llama3.2",
                endpoint -> VllmEngine.at(endpoint, Map.of("llama3.2", SERVED)), SERVED);
        engine.withEmbeddings(VllmEngine.at(FakeEngineUnderTest.endpoint(VllmEngine.TYPE, pooling.baseUrl()), Map.of()),
                "intfloat/e5-small");
    }

    @AfterAll
    static void stop() {
        fake.close();
        pooling.close();
    }

    @Override
    protected EngineUnderTest engine() {
        return engine;
    }
}
