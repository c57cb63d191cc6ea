package io.infercore.engine.sglang;

import io.infercore.engine.EngineAdapterContractTest;
import io.infercore.engine.FakeEngineUnderTest;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The engine contract for {@link SglangEngine} against the fake SGLang server following the
 * SGLang 0.5 protocol: OpenAI routes for chat, native {@code /generate} (cumulative stream text,
 * finish_reason objects) for raw prompts, a server that accepts any model name.
 */
@DisplayName("SGLang 0.5 protocol (fake)")
class SglangAdapterContractTest extends EngineAdapterContractTest {

    static final String SERVED = "Qwen/Qwen3-0.6B";
    static FakeEngineProcess fake;
    static FakeEngineUnderTest engine;

    @BeforeAll
    static void start() {
        fake = FakeEngineProcess.sglang(SERVED);
        engine = new FakeEngineUnderTest(fake, SglangEngine.TYPE, SERVED, SglangEngine::at, SERVED);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Override
    protected EngineUnderTest engine() {
        return engine;
    }
}
