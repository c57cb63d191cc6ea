package io.infercore.engine.vllm;

import io.infercore.engine.openai.HfServerProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** vLLM as the rest of the service sees it: a server for Hugging Face checkpoints, launched or attached to. */
@ApplicationScoped
public class VllmProvider extends HfServerProvider {

    @Override
    public String type() {
        return VllmEngine.TYPE;
    }

    @Override
    public String startHint() {
        return "start it with `vllm serve <model>` (or set vllm.base_url, or launch it with POST /api/v1/models/start)";
    }

    @Override
    public int sourceRank() {
        return 0;
    }
}
