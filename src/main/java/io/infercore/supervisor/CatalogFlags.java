package io.infercore.supervisor;

import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.ModelSize;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Catalog facts turned into launch arguments where the request did not set them itself: the
 * context length ({@code --max-model-len} for vLLM, {@code --context-length} for SGLang,
 * {@code num_ctx} for Ollama) and the tool-call / reasoning parsers the entry names for vLLM and
 * SGLang ({@code --tool-call-parser}, with {@code --enable-auto-tool-choice} on vLLM, which needs
 * both to honour {@code tool_choice: "auto"}; {@code --reasoning-parser}). They are added to the
 * run's {@code engine_args}, so the run view shows exactly what was passed and a restart
 * relaunches with the same flags. Values come from a validated catalog, so they are safe tokens.
 */
final class CatalogFlags {

    private CatalogFlags() {
    }

    /** {@code args} plus the catalog's defaults for a launched vLLM or SGLang server. */
    static Map<String, Object> remote(String engine, CatalogModel model, ModelSize size, Map<String, Object> args) {
        boolean vllm = "vllm".equals(engine);
        Map<String, Object> out = new LinkedHashMap<>(args);
        Integer context = model.contextLength(size);
        if (context != null) {
            out.putIfAbsent(vllm ? "max_model_len" : "context_length", context);
        }
        CatalogModel.Parsers parsers = model.parsers().get(engine);
        if (parsers != null) {
            if (parsers.toolCall() != null && !out.containsKey("tool_call_parser")) {
                out.put("tool_call_parser", parsers.toolCall());
                if (vllm) {
                    out.putIfAbsent("enable_auto_tool_choice", true);
                }
            }
            if (parsers.reasoning() != null) {
                out.putIfAbsent("reasoning_parser", parsers.reasoning());
            }
        }
        return out;
    }

    /**
     * The largest {@code num_ctx} a launch picks for Ollama by itself. Ollama allocates the whole
     * KV cache for {@code num_ctx} when it loads the model (vLLM instead sizes its cache to the
     * memory it is given), so the catalog's full window (131,072 tokens for Llama 3.1 8B, about
     * 16 GiB of cache) would make an ordinary launch fail or swap; a user who wants more says so
     * with {@code engine_args.num_ctx}.
     */
    static final int OLLAMA_DEFAULT_CONTEXT_CAP = 8192;

    /** {@code args} plus the catalog's context length, at most {@link #OLLAMA_DEFAULT_CONTEXT_CAP}, as Ollama's {@code num_ctx}. */
    static Map<String, Object> ollama(CatalogModel model, ModelSize size, Map<String, Object> args) {
        Integer context = model.contextLength(size);
        if (context == null || args.containsKey("num_ctx")) {
            return args;
        }
        Map<String, Object> out = new LinkedHashMap<>(args);
        out.put("num_ctx", Math.min(context, OLLAMA_DEFAULT_CONTEXT_CAP));
        return out;
    }
}
