package io.infercore.supervisor;

import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.CatalogReader;
import io.infercore.catalog.GgufSource;
import io.infercore.catalog.ModelCatalog;
import io.infercore.catalog.ModelSize;
import io.infercore.config.InfercoreConfig;
import io.infercore.config.ModelDirectories;
import io.infercore.engine.EngineRegistry;
import io.infercore.engine.ollama.OllamaEngine;
import io.infercore.error.InfercoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a start request into a {@link LaunchPlan}: the catalog entry and size, the source each
 * engine loads, and every optional field either mapped onto the engine's own setting or refused
 * with a 400 that says why and what would work. Nothing is silently ignored (seed limitation 2).
 *
 * <p>vLLM's model argument: a {@code vllm.model_aliases} entry for the model id or its HF repo
 * (a repo id or a path), else {@code vllm.local_model_path} when that directory is, or contains,
 * a directory named like the repo, else the HF repo (downloaded by vLLM into the models
 * directory). The served name is the HF repo, or the alias target when that is a repo.
 */
@ApplicationScoped
public class LaunchResolver {

    private static final Pattern GGUF_QUANT = Pattern.compile("(?i)[._-](I?Q\\d(?:_[A-Z0-9]+)*|F16|BF16|F32)\\.gguf$");
    private static final Pattern KEEP_ALIVE = Pattern.compile("-?\\d+(\\.\\d+)?(ns|us|ms|s|m|h)?");
    private static final int MAX_GPUS = 64;
    /** The launch arguments an Ollama run takes: how long it stays loaded, and its context window. */
    static final List<String> OLLAMA_ARGS = List.of("keep_alive", "num_ctx");

    @Inject
    ModelCatalog catalog;
    @Inject
    InfercoreConfig config;
    @Inject
    EngineRegistry engines;
    @Inject
    ModelDirectories directories;

    public LaunchPlan resolve(LaunchRequest r) {
        if (r == null) {
            throw InfercoreException.invalid(null, "request body is required (a JSON object with model_id and engine_type)");
        }
        if (blank(r.modelId())) {
            throw InfercoreException.invalid("model_id", "model_id is required; the catalog has " + catalog.ids());
        }
        CatalogModel model = catalog.find(r.modelId()).orElseThrow(() -> InfercoreException.invalid("model_id",
                "Unknown model_id '" + r.modelId() + "'; the catalog (" + catalog.source() + ") has " + catalog.ids()));
        if (blank(r.engineType())) {
            throw InfercoreException.invalid("engine_type", "engine_type is required; " + model.id() + " runs on "
                    + model.engines());
        }
        String engine = r.engineType();
        if (!CatalogReader.ENGINES.contains(engine) || !engines.types().contains(engine)) {
            throw InfercoreException.invalid("engine_type", "Unknown engine_type '" + engine + "'; expected one of "
                    + engines.types().stream().filter(CatalogReader.ENGINES::contains).toList());
        }
        if (!model.engines().contains(engine)) {
            throw InfercoreException.invalid("engine_type", "model '" + model.id() + "' runs on " + model.engines()
                    + ", not on " + engine);
        }
        ModelSize size = r.size() == null ? model.sizes().get(0) : model.size(r.size()).orElseThrow(() ->
                InfercoreException.invalid("size", "model '" + model.id() + "' has sizes " + model.sizeNames()
                        + ", not '" + r.size() + "'"));
        int maxReplicas = config.supervisor().maxReplicas();
        int replicas = r.replicas() == null ? 1 : r.replicas();
        if (replicas < 1 || replicas > maxReplicas) {
            throw InfercoreException.invalid("replicas", "replicas must be between 1 and " + maxReplicas
                    + " (supervisor.max_replicas), not " + replicas);
        }
        if (r.nGpu() != null && (r.nGpu() < 0 || r.nGpu() > MAX_GPUS)) {
            throw InfercoreException.invalid("n_gpu", "n_gpu must be between 0 and " + MAX_GPUS + ", not " + r.nGpu());
        }
        List<String> quantizations = model.quantizationsOn(engine);
        if (r.quantization() != null && !quantizations.contains(r.quantization())) {
            throw InfercoreException.invalid("quantization", "model '" + model.id() + "' offers quantizations "
                    + quantizations + (quantizations == model.quantizations() ? "" : " on " + engine)
                    + ", not '" + r.quantization() + "'");
        }
        List<String> formats = model.formatsOn(engine);
        if (r.format() != null && !formats.contains(r.format())) {
            throw InfercoreException.invalid("format", "model '" + model.id() + "' comes in formats " + formats
                    + (formats == model.formats() ? "" : " on " + engine) + ", not '" + r.format() + "'");
        }
        if (Boolean.TRUE.equals(r.enableThinking()) && !CatalogModel.LLM.equals(model.modelType())) {
            throw InfercoreException.invalid("enable_thinking", "'" + model.id() + "' is an " + model.modelType()
                    + " model: it has no thinking mode");
        }
        List<String> abilities = model.enforcedAbilities();
        if (Boolean.TRUE.equals(r.enableThinking()) && abilities != null && !abilities.contains("reasoning")) {
            throw InfercoreException.invalid("enable_thinking", "'" + model.id() + "' has no thinking mode: its "
                    + "abilities are " + abilities + " (no \"reasoning\"); leave enable_thinking out");
        }
        Map<String, Object> args = r.engineArgs() == null ? Map.of() : r.engineArgs();
        return switch (engine) {
            case "vllm", "sglang" -> remote(r, model, size, replicas, args);
            case "ollama" -> ollama(r, model, size, replicas, args);
            default -> embedded(r, model, size, replicas, args);
        };
    }

    private LaunchPlan remote(LaunchRequest r, CatalogModel model, ModelSize size, int replicas, Map<String, Object> args) {
        String engine = r.engineType();
        String localDir = size.localPath() != null && !size.localGguf() ? size.localPath() : null;
        String repo = localDir != null ? size.hfRepo() : require(size.hfRepo(), model, size, engine, "hf_repo");
        String source = localDir != null ? localDir : repo;
        String served = repo != null ? repo : model.id();
        if ("vllm".equals(engine) && localDir == null) {
            Map<String, String> aliases = config.vllm().modelAliases();
            String alias = aliases.getOrDefault(model.id(), aliases.get(repo));
            if (alias != null && !alias.isBlank()) {
                source = isPath(alias) ? expandHome(alias) : alias;
                served = isPath(alias) ? repo : alias;
            } else {
                source = localCopy(repo).orElse(repo);
            }
        }
        String quantization = r.quantization() == null ? null : remoteQuantization(engine, r.quantization());
        String loadFormat = r.format() == null ? null : switch (r.format()) {
            case "safetensors" -> "safetensors";
            case "pytorch", "pt" -> "pt";
            default -> throw InfercoreException.invalid("format", engine + " loads Hugging Face checkpoints "
                    + "(safetensors or pytorch), not '" + r.format() + "'" + ("gguf".equals(r.format())
                    ? "; run GGUF files with engine_type llamacpp or ollama" : ""));
        };
        Optional<String> attach = attachUrl(engine);
        if (attach.isPresent()) {
            String key = engine + ".base_url";
            refuseWhenAttached(r.nGpu() != null, "n_gpu", key);
            refuseWhenAttached(replicas > 1, "replicas", key);
            refuseWhenAttached(quantization != null, "quantization", key);
            refuseWhenAttached(loadFormat != null, "format", key);
            refuseWhenAttached(!args.isEmpty(), "engine_args", key);
            return new LaunchPlan(engine, RunMode.ATTACHED, model.id(), size.size(), model.modelType(), served, source,
                    null, null, null, 0, 1, r.enableThinking(), Map.of(), attach.get());
        }
        EngineCommands.checkEngineArgs(engine, args);
        args = CatalogFlags.remote(engine, model, size, args);
        int nGpu = r.nGpu() == null ? 1 : r.nGpu();
        return new LaunchPlan(engine, RunMode.SPAWNED, model.id(), size.size(), model.modelType(), served, source, null,
                quantization, loadFormat, nGpu, replicas, r.enableThinking(), args, null);
    }

    private LaunchPlan ollama(LaunchRequest r, CatalogModel model, ModelSize size, int replicas, Map<String, Object> args) {
        String name = OllamaEngine.normalize(require(size.ollamaName(), model, size, "ollama", "ollama_name"));
        refuse(replicas > 1, "replicas", "Ollama serves a model once per server and schedules it itself; use "
                + "replicas 1 (or vllm/sglang for replicas)");
        refuse(r.nGpu() != null, "n_gpu", "Ollama places model layers on GPUs itself; leave n_gpu out (set "
                + "CUDA_VISIBLE_DEVICES on the Ollama server to limit its GPUs)");
        refuse(r.quantization() != null && !"none".equals(r.quantization()), "quantization", "Ollama models come "
                + "quantized as published: choose the quantization through the tag in ollama_name (e.g. "
                + "qwen2:0.5b-instruct-q4_0)");
        refuse(r.format() != null && !"gguf".equals(r.format()), "format", "Ollama runs GGUF models only");
        for (Map.Entry<String, Object> e : args.entrySet()) {
            refuse(!OLLAMA_ARGS.contains(e.getKey()), "engine_args", "engine_args." + e.getKey() + " is not supported "
                    + "for Ollama runs; supported: " + OLLAMA_ARGS);
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
        args = CatalogFlags.ollama(model, size, args);
        return new LaunchPlan("ollama", RunMode.OLLAMA, model.id(), size.size(), model.modelType(), name, name, null,
                null, null, 0, 1, r.enableThinking(), args, null);
    }

    private LaunchPlan embedded(LaunchRequest r, CatalogModel model, ModelSize size, int replicas, Map<String, Object> args) {
        GgufSource gguf = size.gguf();
        if (gguf == null && size.localGguf()) {
            return embeddedLocal(r, model, size, replicas, args);
        }
        if (gguf == null) {
            throw InfercoreException.invalid("size", "size '" + size.size() + "' of '" + model.id() + "' has no gguf "
                    + "source, so the embedded llamacpp engine cannot run it" + (model.isEmbedding()
                    ? " (its embedding model " + config.defaultEmbeddingModel() + " is built in and always running)" : ""));
        }
        refuse(model.isEmbedding(), "model_id", "the embedded engine runs GGUF generation models; it embeds only "
                + "with its built-in model " + config.defaultEmbeddingModel());
        refuse(replicas > 1, "replicas", "the embedded engine serves each model once, in-process; use replicas 1");
        refuse(r.nGpu() != null && r.nGpu() > 0, "n_gpu", "the embedded engine runs on the CPU; use n_gpu 0 or leave it out");
        refuse(Boolean.TRUE.equals(r.enableThinking()), "enable_thinking", "the embedded engine has no thinking mode");
        refuse(!args.isEmpty(), "engine_args", "the embedded engine takes no launch arguments (its settings are "
                + "the llamacpp.* keys); pass engine_args with each request instead");
        refuse(r.format() != null && !"gguf".equals(r.format()), "format", "the embedded engine runs GGUF files only");
        Matcher m = GGUF_QUANT.matcher(gguf.file());
        String label = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
        refuse(r.quantization() != null && !r.quantization().equalsIgnoreCase(label), "quantization",
                "the GGUF file " + gguf.file() + " is quantized as " + (label == null ? "published" : label)
                        + "; leave quantization out" + (label == null ? "" : " or set it to " + label));
        String name = model.sizes().size() == 1 ? model.id() : model.id() + ":" + size.size().toLowerCase(Locale.ROOT);
        Path file = directories.gguf().resolve(gguf.fileName()).toAbsolutePath();
        return new LaunchPlan("llamacpp", RunMode.EMBEDDED, model.id(), size.size(), model.modelType(), name,
                file.toString(), gguf, label, "gguf", 0, 1, r.enableThinking(), Map.of(), null);
    }

    /** A registered GGUF file on this machine: loaded in place, never downloaded. */
    private LaunchPlan embeddedLocal(LaunchRequest r, CatalogModel model, ModelSize size, int replicas,
                                     Map<String, Object> args) {
        refuse(model.isEmbedding(), "model_id", "the embedded engine runs GGUF generation models; it embeds only "
                + "with its built-in model " + config.defaultEmbeddingModel());
        refuse(replicas > 1, "replicas", "the embedded engine serves each model once, in-process; use replicas 1");
        refuse(r.nGpu() != null && r.nGpu() > 0, "n_gpu", "the embedded engine runs on the CPU; use n_gpu 0 or leave it out");
        refuse(Boolean.TRUE.equals(r.enableThinking()), "enable_thinking", "the embedded engine has no thinking mode");
        refuse(!args.isEmpty(), "engine_args", "the embedded engine takes no launch arguments (its settings are "
                + "the llamacpp.* keys); pass engine_args with each request instead");
        refuse(r.format() != null && !"gguf".equals(r.format()), "format", "the embedded engine runs GGUF files only");
        refuse(r.quantization() != null, "quantization", "the GGUF file " + size.localPath() + " is quantized as "
                + "published; leave quantization out");
        String name = model.sizes().size() == 1 ? model.id() : model.id() + ":" + size.size().toLowerCase(Locale.ROOT);
        return new LaunchPlan("llamacpp", RunMode.EMBEDDED, model.id(), size.size(), model.modelType(), name,
                size.localPath(), null, null, "gguf", 0, 1, r.enableThinking(), Map.of(), null);
    }

    /** vLLM / SGLang's own method for a catalog quantization; "none" is no flag. */
    private static String remoteQuantization(String engine, String q) {
        return switch (q.toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "int4" -> "bitsandbytes";
            case "fp8" -> "fp8";
            case "int8" -> {
                if ("vllm".equals(engine)) {
                    throw InfercoreException.invalid("quantization", "vLLM has no on-the-fly int8 quantization; "
                            + "use int4 (bitsandbytes), fp8, or a pre-quantized repo");
                }
                yield "w8a8_int8";
            }
            default -> {
                String method = q.toLowerCase(Locale.ROOT);
                if (method.matches("(i?q[0-9].*|f16|bf16|f32)")) {
                    throw InfercoreException.invalid("quantization", "'" + q + "' is a GGUF quantization, served by the "
                            + "llamacpp engine; " + engine + " takes none, int4, fp8" + ("sglang".equals(engine) ? ", int8" : "")
                            + " or a method such as " + REMOTE_METHODS);
                }
                if (!REMOTE_METHODS.contains(method)) {
                    throw InfercoreException.invalid("quantization", engine + " has no quantization method '" + q
                            + "'; use none, int4, fp8" + ("sglang".equals(engine) ? ", int8" : "") + " or one of "
                            + REMOTE_METHODS);
                }
                yield method;
            }
        };
    }

    /** Quantization methods vLLM and SGLang load pre-quantized checkpoints with. */
    static final java.util.Set<String> REMOTE_METHODS = new java.util.TreeSet<>(java.util.Set.of("awq", "awq_marlin",
            "gptq", "gptq_marlin", "marlin", "bitsandbytes", "compressed-tensors", "fp8", "gguf", "w8a8_int8", "w8a8_fp8"));

    /**
     * The server to attach to: {@code vllm.base_url} when set; {@code sglang.base_url} only when set
     * explicitly, since that key has a default (localhost:30000) for requests naming the engine.
     */
    private Optional<String> attachUrl(String engine) {
        if ("vllm".equals(engine)) {
            return config.vllm().baseUrl().filter(u -> !u.isBlank());
        }
        var value = ConfigProvider.getConfig().getConfigValue("infercore.sglang.base_url");
        boolean explicit = value.getRawValue() != null && value.getSourceOrdinal() > Integer.MIN_VALUE
                && value.getSourceName() != null && !value.getSourceName().contains("Default");
        return explicit ? Optional.of(config.sglang().baseUrl()) : Optional.empty();
    }

    private Optional<String> localCopy(String repo) {
        return config.vllm().localModelPath().filter(p -> !p.isBlank()).map(p -> Path.of(expandHome(p))).flatMap(dir -> {
            String name = repo.substring(repo.indexOf('/') + 1);
            if (Files.isDirectory(dir) && dir.getFileName() != null && dir.getFileName().toString().equalsIgnoreCase(name)) {
                return Optional.of(dir.toAbsolutePath().toString());
            }
            Path inside = dir.resolve(name);
            return Files.isDirectory(inside) ? Optional.of(inside.toAbsolutePath().toString()) : Optional.empty();
        });
    }

    private static String require(String value, CatalogModel model, ModelSize size, String engine, String field) {
        if (value == null) {
            throw InfercoreException.invalid("size", "size '" + size.size() + "' of '" + model.id() + "' has no "
                    + field + ", so " + engine + " cannot run it; other sizes: " + model.sizeNames());
        }
        return value;
    }

    private static void refuseWhenAttached(boolean set, String field, String key) {
        refuse(set, field, key + " is set, so the supervisor attaches to that server and cannot apply " + field
                + "; leave " + field + " out, or unset " + key + " to let the supervisor launch servers");
    }

    private static void refuse(boolean condition, String field, String message) {
        if (condition) {
            throw InfercoreException.invalid(field, field + ": " + message);
        }
    }

    private static boolean isPath(String value) {
        return value.startsWith("/") || value.startsWith("~") || value.startsWith("./") || value.startsWith("../");
    }

    /** {@code ~} and {@code ~/x} against the user's home directory. */
    static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
