package io.infercore.engine.vllm;

import io.infercore.catalog.ModelSize;
import io.infercore.engine.EngineProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** vLLM as the rest of the service sees it: a server for Hugging Face checkpoints, launched or attached to. */
@ApplicationScoped
public class VllmProvider implements EngineProvider {

    @Override
    public String type() {
        return VllmEngine.TYPE;
    }

    @Override
    public String startHint() {
        return "start it with `vllm serve <model>` (or set vllm.base_url, or launch it with POST /api/v1/models/start)";
    }

    @Override
    public String missingModelHint(String model) {
        return "the server serves only the model it was started with; see GET /v1/models on it, "
                + "or start one with POST /api/v1/models/start";
    }

    @Override
    public int sourceRank() {
        return 0;
    }

    @Override
    public boolean runsSource(ModelSize size) {
        return size.hfRepo() != null || (size.localPath() != null && !size.localGguf());
    }

    @Override
    public boolean takesParsers() {
        return true;
    }
}
