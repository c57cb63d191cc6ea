package io.infercore.metrics;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A fake vLLM 0.11 server behind {@code vllm.base_url}, whose token pacing the metrics tests turn. */
public class FakeVllmForMetrics implements QuarkusTestResourceLifecycleManager {

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
