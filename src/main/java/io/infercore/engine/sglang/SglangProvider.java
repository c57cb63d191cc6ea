package io.infercore.engine.sglang;

import io.infercore.catalog.ModelSize;
import io.infercore.engine.EngineProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** SGLang as the rest of the service sees it: a server for Hugging Face checkpoints, launched or attached to. */
@ApplicationScoped
public class SglangProvider implements EngineProvider {

    @Override
    public String type() {
        return SglangEngine.TYPE;
    }

    @Override
    public String startHint() {
        return "start it with `python -m sglang.launch_server --model-path <model>` (or set sglang.base_url)";
    }

    @Override
    public String missingModelHint(String model) {
        return "the server serves only the model it was started with; see GET /v1/models on it, "
                + "or start one with POST /api/v1/models/start";
    }

    @Override
    public int sourceRank() {
        return 1;
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
