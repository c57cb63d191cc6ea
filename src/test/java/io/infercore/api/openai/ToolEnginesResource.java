package io.infercore.api.openai;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Engines that do function calling: the fake vLLM 0.11 started as tool-calling deployments are
 * ({@code --enable-auto-tool-choice --tool-call-parser hermes}), the fake SGLang 0.5 with
 * {@code --tool-call-parser qwen25}, and the fake Ollama (API 0.12) serving a tool-capable model
 * and one without the tools capability.
 */
public class ToolEnginesResource implements QuarkusTestResourceLifecycleManager {

    public static final String VLLM_MODEL = "Qwen/Qwen2.5-1.5B-Instruct";
    public static final String SGLANG_MODEL = "Qwen/Qwen2.5-7B-Instruct";
    public static final String OLLAMA_MODEL = "llama3.2";
    public static final String OLLAMA_NO_TOOLS = "smollm-notools";

    public static FakeEngineProcess vllm;
    public static FakeEngineProcess sglang;
    public static FakeEngineProcess ollama;

    @Override
    public Map<String, String> start() {
        vllm = FakeEngineProcess.vllm(VLLM_MODEL, "--enable-auto-tool-choice", "--tool-call-parser", "hermes");
        sglang = FakeEngineProcess.sglang(SGLANG_MODEL, "--tool-call-parser", "qwen25");
        ollama = FakeEngineProcess.ollama(OLLAMA_MODEL + "," + OLLAMA_NO_TOOLS);
        return Map.of(
                "infercore.vllm.base_url", vllm.baseUrl(),
                "infercore.sglang.base_url", sglang.baseUrl(),
                "infercore.ollama.base_url", ollama.baseUrl());
    }

    @Override
    public void stop() {
        for (FakeEngineProcess fake : new FakeEngineProcess[] {vllm, sglang, ollama}) {
            if (fake != null) {
                fake.close();
            }
        }
    }
}
