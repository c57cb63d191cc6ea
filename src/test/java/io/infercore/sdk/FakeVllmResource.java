package io.infercore.sdk;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** The fake vLLM 0.11 server for {@link InferencerTest}; static so the test can turn its fault knobs. */
public class FakeVllmResource implements QuarkusTestResourceLifecycleManager {

    static final String MODEL = "Qwen/Qwen2-0.5B-Instruct";
    static FakeEngineProcess vllm;

    @Override
    public Map<String, String> start() {
        vllm = FakeEngineProcess.vllm(MODEL);
        return Map.of("infercore.vllm.base_url", vllm.baseUrl());
    }

    @Override
    public void stop() {
        if (vllm != null) {
            vllm.close();
        }
    }
}
