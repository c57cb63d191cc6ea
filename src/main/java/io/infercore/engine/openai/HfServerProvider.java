package io.infercore.engine.openai;

import io.infercore.catalog.ModelSize;
import io.infercore.engine.EngineProvider;

/**
 * What vLLM and SGLang share as the rest of the service sees them: servers of Hugging Face
 * checkpoints (a repo or a local checkpoint directory, not a GGUF file), launched or attached to,
 * each serving only the model it was started with; reasoning and tool-call parsers are theirs.
 * Each engine adds its type, start hint and catalog rank.
 */
public abstract class HfServerProvider implements EngineProvider {

    @Override
    public String missingModelHint(String model) {
        return "the server serves only the model it was started with; see GET /v1/models on it, "
                + "or start one with POST /api/v1/models/start";
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
