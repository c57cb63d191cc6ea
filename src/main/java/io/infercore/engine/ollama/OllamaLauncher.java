package io.infercore.engine.ollama;

import io.infercore.config.InfercoreConfig;
import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.ModelSize;
import io.infercore.supervisor.EngineLauncher;
import io.infercore.supervisor.LaunchContext;
import io.infercore.supervisor.LaunchOptions;
import io.infercore.supervisor.LaunchPlan;
import io.infercore.supervisor.LaunchRequest;
import io.infercore.supervisor.RunMode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.infercore.supervisor.LaunchContext.refuse;

/**
 * How the supervisor runs a model on Ollama: pulled into and loaded by the Ollama server, once,
 * with only the settings Ollama takes per model ({@link #ARGS}).
 */
@ApplicationScoped
public class OllamaLauncher implements EngineLauncher {

    /** The launch arguments an Ollama run takes: how long it stays loaded, and its context window. */
    static final List<String> ARGS = List.of("keep_alive", "num_ctx");
    private static final Pattern KEEP_ALIVE = Pattern.compile("-?\\d+(\\.\\d+)?(ns|us|ms|s|m|h)?");

    /**
     * The largest {@code num_ctx} a launch picks for Ollama by itself. Ollama allocates the whole
     * KV cache for {@code num_ctx} when it loads the model (vLLM instead sizes its cache to the
     * memory it is given), so the catalog's full window (131,072 tokens for Llama 3.1 8B, about
     * 16 GiB of cache) would make an ordinary launch fail or swap; a user who wants more says so
     * with {@code engine_args.num_ctx}.
     */
    static final int DEFAULT_CONTEXT_CAP = 8192;

    @Override
    public String type() {
        return OllamaEngine.TYPE;
    }

    @Override
    public LaunchPlan plan(LaunchContext c) {
        LaunchRequest r = c.request();
        CatalogModel model = c.model();
        ModelSize size = c.size();
        String name = OllamaEngine.normalize(c.require(size.ollamaName(), "ollama_name"));
        // On Kubernetes each replica is a Pod with its own `ollama serve`, given n_gpu GPUs (none when absent).
        boolean cluster = onKubernetes(c.config());
        refuse(!cluster && c.replicas() > 1, "replicas", "Ollama serves a model once per server and schedules it "
                + "itself; use replicas 1 (or vllm/sglang for replicas)");
        refuse(!cluster && r.nGpu() != null, "n_gpu", "Ollama places model layers on GPUs itself; leave n_gpu out (set "
                + "CUDA_VISIBLE_DEVICES on the Ollama server to limit its GPUs)");
        refuse(r.nGpu() != null && r.nGpu() < 0, "n_gpu", "n_gpu must be 0 or more");
        refuse(r.quantization() != null && !"none".equals(r.quantization()), "quantization", "Ollama models come "
                + "quantized as published: choose the quantization through the tag in ollama_name (e.g. "
                + "qwen2:0.5b-instruct-q4_0)");
        refuse(r.format() != null && !"gguf".equals(r.format()), "format", "Ollama runs GGUF models only");
        for (Map.Entry<String, Object> e : c.args().entrySet()) {
            refuse(!ARGS.contains(e.getKey()), "engine_args", "engine_args." + e.getKey() + " is not supported "
                    + "for Ollama runs; supported: " + ARGS);
            Object v = e.getValue();
            if ("num_ctx".equals(e.getKey())) {
                refuse(!((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 1
                        && ((Number) v).longValue() <= 10_000_000L), "engine_args",
                        "engine_args.num_ctx must be a positive whole number of tokens");
                continue;
            }
            refuse(!(v instanceof Integer || v instanceof Long || (v instanceof String s && KEEP_ALIVE.matcher(s).matches())),
                    "engine_args", "engine_args.keep_alive must be seconds (an integer) or a duration such as \"30m\"");
        }
        Map<String, Object> args = catalogArgs(model, size, c.args());
        return new LaunchPlan(type(), RunMode.OLLAMA, model.id(), size.size(), model.modelType(), name, name, null,
                null, null, cluster && r.nGpu() != null ? r.nGpu() : 0, cluster ? c.replicas() : 1, r.enableThinking(),
                args, null);
    }

    private static boolean onKubernetes(InfercoreConfig config) {
        return config.supervisor().backend() == InfercoreConfig.Supervisor.Backend.KUBERNETES;
    }

    @Override
    public LaunchOptions options(LaunchContext.Choice choice) {
        ModelSize size = choice.size();
        if (size.ollamaName() == null) {
            return LaunchOptions.refused(type(), "no_ollama_name");
        }
        CatalogModel model = choice.model();
        return new LaunchOptions(type(), true, null,
                model.quantizationsOn(type()).contains("none") ? List.of("none") : List.of(),
                model.formatsOn(type()).contains("gguf") ? List.of("gguf") : List.of(), null,
                new LaunchOptions.Range(1, onKubernetes(choice.config()) ? choice.config().supervisor().maxReplicas() : 1, 1),
                choice.thinking(), size.ollamaName(),
                Map.of("keep_alive", "duration", "num_ctx", "int"), null);
    }

    /** {@code args} plus the catalog's context length, at most {@link #DEFAULT_CONTEXT_CAP}, as Ollama's {@code num_ctx}. */
    static Map<String, Object> catalogArgs(CatalogModel model, ModelSize size, Map<String, Object> args) {
        Integer context = model.contextLength(size);
        if (context == null || args.containsKey("num_ctx")) {
            return args;
        }
        Map<String, Object> out = new LinkedHashMap<>(args);
        out.put("num_ctx", Math.min(context, DEFAULT_CONTEXT_CAP));
        return out;
    }
}
