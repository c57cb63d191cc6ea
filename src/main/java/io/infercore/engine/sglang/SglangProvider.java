package io.infercore.engine.sglang;

import io.infercore.engine.openai.HfServerProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** SGLang as the rest of the service sees it: a server for Hugging Face checkpoints, launched or attached to. */
@ApplicationScoped
public class SglangProvider extends HfServerProvider {

    @Override
    public String type() {
        return SglangEngine.TYPE;
    }

    @Override
    public String startHint() {
        return "start it with `python -m sglang.launch_server --model-path <model>` (or set sglang.base_url)";
    }

    @Override
    public int sourceRank() {
        return 1;
    }
}
