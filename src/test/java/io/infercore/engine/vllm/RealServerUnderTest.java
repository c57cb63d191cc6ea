package io.infercore.engine.vllm;

import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineAdapterContractTest.EngineUnderTest;
import io.infercore.engine.FakeEngineUnderTest;

import java.util.Map;

/**
 * A real server speaking vLLM's OpenAI-compatible protocol (real vLLM, or llama.cpp's server) as
 * the contract suite sees it: no fault knobs, served under {@code served}, asked for as
 * {@code model}; {@code embeddings} is the adapter that embeds, null when the server does not.
 */
record RealServerUnderTest(EngineAdapter adapter, String model, String served, EngineAdapter embeddings)
        implements EngineUnderTest {

    @Override
    public EngineAdapter adapterAt(String baseUrl) {
        return VllmEngine.at(FakeEngineUnderTest.endpoint(VllmEngine.TYPE, baseUrl), Map.of());
    }

    @Override
    public String modelNotFoundHint() {
        return served;
    }

    @Override
    public EngineAdapter embeddingAdapter() {
        return embeddings;
    }
}
