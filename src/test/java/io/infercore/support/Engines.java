package io.infercore.support;

import io.infercore.engine.EngineProvider;
import io.infercore.engine.llamacpp.LlamaCppProvider;
import io.infercore.engine.ollama.OllamaProvider;
import io.infercore.engine.sglang.SglangProvider;
import io.infercore.engine.vllm.VllmProvider;

import java.util.List;

/** The providers of this build's engines, built by hand for tests that read catalogs without CDI. */
public final class Engines {

    private Engines() {
    }

    /** Every engine provider of the build; their catalog answers need no injected state. */
    public static List<EngineProvider> providers() {
        return List.of(new LlamaCppProvider(), new OllamaProvider(), new VllmProvider(), new SglangProvider());
    }
}
