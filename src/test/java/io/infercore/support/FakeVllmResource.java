package io.infercore.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A fake vLLM 0.11 server behind {@code vllm.base_url}; static so tests can turn its knobs (pacing, faults). */
public class FakeVllmResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "Qwen/Qwen2-0.5B-Instruct";
    public static FakeEngineProcess vllm;

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
