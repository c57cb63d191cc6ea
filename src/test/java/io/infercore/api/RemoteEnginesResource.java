package io.infercore.api;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the fake vLLM 0.11 and SGLang 0.5 servers and points {@code vllm.base_url} /
 * {@code sglang.base_url} at them, with a short first-token timeout so a hanging engine is a
 * quick 504. The fakes are static so tests can turn their fault knobs.
 */
public class RemoteEnginesResource implements QuarkusTestResourceLifecycleManager {

    static final String VLLM_MODEL = "Qwen/Qwen2-0.5B-Instruct";
    static final String SGLANG_MODEL = "Qwen/Qwen3-0.6B";
    static final String FIRST_TOKEN_TIMEOUT = "2s";

    static FakeEngineProcess vllm;
    static FakeEngineProcess sglang;

    @Override
    public Map<String, String> start() {
        vllm = FakeEngineProcess.vllm(VLLM_MODEL);
        sglang = FakeEngineProcess.sglang(SGLANG_MODEL);
        return Map.of(
                "infercore.vllm.base_url", vllm.baseUrl(),
                "infercore.vllm.timeouts.first_token", FIRST_TOKEN_TIMEOUT,
                "infercore.sglang.base_url", sglang.baseUrl(),
                "infercore.sglang.timeouts.first_token", FIRST_TOKEN_TIMEOUT);
    }

    @Override
    public void stop() {
        if (vllm != null) {
            vllm.close();
        }
        if (sglang != null) {
            sglang.close();
        }
    }

    static FakeEngineProcess fake(String engine) {
        return "vllm".equals(engine) ? vllm : sglang;
    }

    static String model(String engine) {
        return "vllm".equals(engine) ? VLLM_MODEL : SGLANG_MODEL;
    }
}
