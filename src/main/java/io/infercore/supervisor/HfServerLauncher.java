package io.infercore.supervisor;

import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.ModelSize;
import io.infercore.config.InfercoreConfig;
import io.infercore.error.InfercoreException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The launch rules shared by servers of Hugging Face checkpoints (vLLM, SGLang): a run is
 * spawned with the supervisor's flags, or attached to a configured server. Each engine's
 * launcher extends this in its own package and says what differs: where it attaches, how it
 * names its quantization methods and its context flag, and where it finds the model.
 */
public abstract class HfServerLauncher implements EngineLauncher {

    private static final Pattern GGUF_LABEL = Pattern.compile("(?i)(I?Q\\d(?:_[A-Z0-9]+)*|F16|BF16|F32)");
    private static final Set<String> CHECKPOINT_FORMATS = Set.of("safetensors", "pytorch", "pt");
    static final int MAX_GPUS = 64;

    /** Quantization methods vLLM and SGLang load pre-quantized checkpoints with. */
    public static final Set<String> METHODS = new TreeSet<>(Set.of("awq", "awq_marlin", "gptq", "gptq_marlin", "marlin",
            "bitsandbytes", "compressed-tensors", "fp8", "gguf", "w8a8_int8", "w8a8_fp8"));

    /** What the engine loads and the name it serves it under. */
    public record Source(String source, String served) {
    }

    /** The configured server runs attach to instead of launching one; empty: the supervisor launches. */
    protected abstract Optional<String> attachUrl(InfercoreConfig config);

    /** The engine's on-the-fly int8 method; null when it has none (a catalog {@code int8} is refused). */
    protected abstract String int8Method();

    /** A 400's text when the engine has no int8 method. */
    protected String noInt8() {
        return type() + " has no on-the-fly int8 quantization";
    }

    /** The {@code engine_args} key of the engine's context length flag. */
    protected abstract String contextArg();

    /** Whether a catalog tool-call parser also needs {@code enable_auto_tool_choice}. */
    protected boolean autoToolChoiceWithParser() {
        return false;
    }

    /** Where a spawned server finds {@code repo} when the size names no local directory; by default the repo itself. */
    protected Source hubSource(LaunchContext c, String repo) {
        return new Source(repo, repo);
    }

    @Override
    public LaunchPlan plan(LaunchContext c) {
        LaunchRequest r = c.request();
        CatalogModel model = c.model();
        ModelSize size = c.size();
        String engine = type();
        String localDir = size.localPath() != null && !size.localGguf() ? size.localPath() : null;
        String repo = localDir != null ? size.hfRepo() : c.require(size.hfRepo(), "hf_repo");
        String source = localDir != null ? localDir : repo;
        String served = repo != null ? repo : model.id();
        if (localDir == null) {
            Source hub = hubSource(c, repo);
            source = hub.source();
            served = hub.served();
        }
        String quantization = r.quantization() == null ? null : quantization(r.quantization());
        String loadFormat = r.format() == null ? null : switch (r.format()) {
            case "safetensors" -> "safetensors";
            case "pytorch", "pt" -> "pt";
            default -> throw InfercoreException.invalid("format", engine + " loads Hugging Face checkpoints "
                    + "(safetensors or pytorch), not '" + r.format() + "'" + ("gguf".equals(r.format())
                    ? "; run GGUF files with engine_type llamacpp or ollama" : ""));
        };
        Map<String, Object> args = c.args();
        Optional<String> attach = attachUrl(c.config());
        if (attach.isPresent()) {
            String key = engine + ".base_url";
            LaunchContext.refuseWhenAttached(r.nGpu() != null, "n_gpu", key);
            LaunchContext.refuseWhenAttached(c.replicas() > 1, "replicas", key);
            LaunchContext.refuseWhenAttached(quantization != null, "quantization", key);
            LaunchContext.refuseWhenAttached(loadFormat != null, "format", key);
            LaunchContext.refuseWhenAttached(!args.isEmpty(), "engine_args", key);
            return new LaunchPlan(engine, RunMode.ATTACHED, model.id(), size.size(), model.modelType(), served, source,
                    null, null, null, 0, 1, r.enableThinking(), Map.of(), attach.get());
        }
        EngineCommands.checkEngineArgs(engine, args);
        args = catalogArgs(model, size, args);
        int nGpu = r.nGpu() == null ? 1 : r.nGpu();
        return new LaunchPlan(engine, RunMode.SPAWNED, model.id(), size.size(), model.modelType(), served, source, null,
                quantization, loadFormat, nGpu, c.replicas(), r.enableThinking(), args, null);
    }

    @Override
    public LaunchOptions options(LaunchContext.Choice choice) {
        ModelSize size = choice.size();
        String localDir = size.localPath() != null && !size.localGguf() ? size.localPath() : null;
        if (size.hfRepo() == null && localDir == null) {
            return LaunchOptions.refused(type(), "no_hf_repo");
        }
        List<String> quantizations = choice.model().quantizationsOn(type()).stream()
                .filter(q -> !GGUF_LABEL.matcher(q).matches() && !(int8Method() == null && q.equalsIgnoreCase("int8")))
                .toList();
        List<String> formats = choice.model().formatsOn(type()).stream().filter(CHECKPOINT_FORMATS::contains).toList();
        return new LaunchOptions(type(), true, null, quantizations, formats, new LaunchOptions.Range(0, MAX_GPUS, 1),
                new LaunchOptions.Range(1, choice.config().supervisor().maxReplicas(), 1), choice.thinking(),
                localDir != null ? localDir : size.hfRepo(), EngineCommands.argKinds(type()),
                attachUrl(choice.config()).orElse(null));
    }

    /**
     * {@code args} plus the catalog facts the request did not set: the context length as the
     * engine's own flag, and the tool-call and reasoning parsers the entry names for this engine.
     * The run view then shows exactly what was passed, and a restart relaunches with the same flags.
     */
    public Map<String, Object> catalogArgs(CatalogModel model, ModelSize size, Map<String, Object> args) {
        Map<String, Object> out = new LinkedHashMap<>(args);
        Integer context = model.contextLength(size);
        if (context != null) {
            out.putIfAbsent(contextArg(), context);
        }
        CatalogModel.Parsers parsers = model.parsers().get(type());
        if (parsers != null) {
            if (parsers.toolCall() != null && !out.containsKey("tool_call_parser")) {
                out.put("tool_call_parser", parsers.toolCall());
                if (autoToolChoiceWithParser()) {
                    out.putIfAbsent("enable_auto_tool_choice", true);
                }
            }
            if (parsers.reasoning() != null) {
                out.putIfAbsent("reasoning_parser", parsers.reasoning());
            }
        }
        return out;
    }

    /** The engine's own method for a catalog quantization; "none" is no flag. */
    private String quantization(String q) {
        String engine = type();
        String also = int8Method() == null ? "" : ", int8";
        return switch (q.toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "int4" -> "bitsandbytes";
            case "fp8" -> "fp8";
            case "int8" -> {
                if (int8Method() == null) {
                    throw InfercoreException.invalid("quantization", noInt8());
                }
                yield int8Method();
            }
            default -> {
                String method = q.toLowerCase(Locale.ROOT);
                if (method.matches("(i?q[0-9].*|f16|bf16|f32)")) {
                    throw InfercoreException.invalid("quantization", "'" + q + "' is a GGUF quantization, served by the "
                            + "llamacpp engine; " + engine + " takes none, int4, fp8" + also
                            + " or a method such as " + METHODS);
                }
                if (!METHODS.contains(method)) {
                    throw InfercoreException.invalid("quantization", engine + " has no quantization method '" + q
                            + "'; use none, int4, fp8" + also + " or one of " + METHODS);
                }
                yield method;
            }
        };
    }
}
