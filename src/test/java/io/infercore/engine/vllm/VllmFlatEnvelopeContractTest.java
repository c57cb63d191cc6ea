package io.infercore.engine.vllm;

import io.infercore.engine.EngineAdapterContractTest;
import io.infercore.engine.FakeEngineUnderTest;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.util.Map;

/**
 * The engine contract for {@link VllmEngine} against the fake vLLM server in its 0.10.0 mode: the
 * flat error envelope {@code {"object":"error","message":...}} and the older context-overflow
 * wording, which every error row must still map the same way.
 */
@DisplayName("vLLM 0.10.0 protocol, flat error envelope (fake)")
class VllmFlatEnvelopeContractTest extends EngineAdapterContractTest {

    static final String SERVED = "Qwen/Qwen2-0.5B-Instruct";
    static FakeEngineProcess fake;
    static FakeEngineProcess pooling;
    static FakeEngineUnderTest engine;

    @BeforeAll
    static void start() {
        fake = FakeEngineProcess.vllm(SERVED, "--fake-protocol", "0.10.0");
        pooling = FakeEngineProcess.vllm("intfloat/e5-small", "--runner", "pooling", "--fake-protocol", "0.10.0");
        engine = new FakeEngineUnderTest(fake, VllmEngine.TYPE, SERVED, endpoint -> VllmEngine.at(endpoint, Map.of()), SERVED)
                .withEmbeddings(VllmEngine.at(FakeEngineUnderTest.endpoint(VllmEngine.TYPE, pooling.baseUrl()), Map.of()),
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
