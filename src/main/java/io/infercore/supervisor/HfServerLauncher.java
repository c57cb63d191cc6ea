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
 * names its quantization methods and its context flag, where it finds the model, its server's
 * command line ({@link ServerCommand}) and its container image. On Kubernetes its Pods run that
 * same command line ({@link ServerPods}).
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

    /**
     * The engine's named instances ({@code <engine>.instances}): remote servers a start with
     * {@code engine_type: "<engine>:<name>"} attaches to; the supervisor never spawns on them.
     */
    protected Map<String, InfercoreConfig.EngineInstance> instances(InfercoreConfig config) {
        return Map.of();
    }

    /** The API key of the engine's default server ({@code <engine>.api_key}); empty when none. */
    protected Optional<String> apiKey(InfercoreConfig config) {
        return Optional.empty();
    }

    /** The key of the server the run attaches to: its named instance's {@code api_key}, else the engine's. */
    @Override
    public String attachKey(InfercoreConfig config, LaunchPlan plan) {
        if (plan.instance() != null) {
            InfercoreConfig.EngineInstance at = instances(config).get(plan.instance());
            return at == null ? null : at.apiKey().filter(k -> !k.isBlank()).orElse(null);
        }
        return apiKey(config).filter(k -> !k.isBlank()).orElse(null);
    }

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

    /** The {@code engine_args} keys a launch may set: its server command's {@link ServerCommand#args()}. */
    protected abstract Map<String, ServerCommand.Arg> launchArgs();

    /** The engine's server command, from its configuration. */
    @Override
    public abstract ServerCommand serverCommand(InfercoreConfig config);

    /** The engine's container image on Kubernetes ({@code supervisor.kubernetes.*_image}). */
    protected abstract String image(InfercoreConfig.Kubernetes kubernetes);

    /** Its Pods run its server command, listening on all interfaces, with the Hugging Face cache on the models volume. */
    @Override
    public PodTemplate podTemplate(InfercoreConfig config, Map<String, String> podEnv) {
        InfercoreConfig.Kubernetes k = config.supervisor().kubernetes();
        return new ServerPods(serverCommand(config), image(k), podEnv, k.modelsMountPath());
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
        String instance = c.instance();
        Optional<String> attach = instance != null ? Optional.of(instances(c.config()).get(instance).baseUrl())
                : attachUrl(c.config());
        if (attach.isPresent()) {
            String key = instance == null ? engine + ".base_url" : engine + ".instances." + instance + ".base_url";
            refuseAttached(r.nGpu() != null, "n_gpu", key, c, attach.get());
            refuseAttached(c.replicas() > 1, "replicas", key, c, attach.get());
            refuseAttached(quantization != null, "quantization", key, c, attach.get());
            refuseAttached(loadFormat != null, "format", key, c, attach.get());
            refuseAttached(!args.isEmpty(), "engine_args", key, c, attach.get());
            return new LaunchPlan(engine, RunMode.ATTACHED, model.id(), size.size(), model.modelType(), served, source,
                    null, null, null, 0, 1, r.enableThinking(), Map.of(), attach.get(), instance);
        }
        EngineCommands.checkEngineArgs(engine, launchArgs(), args);
        args = catalogArgs(model, size, args);
        int nGpu = r.nGpu() == null ? 1 : r.nGpu();
        return new LaunchPlan(engine, RunMode.SPAWNED, model.id(), size.size(), model.modelType(), served, source, null,
                quantization, loadFormat, nGpu, c.replicas(), r.enableThinking(), args, null);
    }

    /**
     * A 400 on {@code field}, a setting only a server the supervisor spawns takes, when the run
     * attaches. On a named instance the text says the instance is a remote server that is never
     * spawned, and how to spawn a local one instead.
     */
    private void refuseAttached(boolean set, String field, String key, LaunchContext c, String url) {
        if (c.instance() == null) {
            LaunchContext.refuseWhenAttached(set, field, key);
            return;
        }
        LaunchContext.refuse(set, field, c.engine() + " is the " + type() + " server at " + url + " (" + key
                + "), which infercore does not run: a start there attaches to the model it serves and cannot "
                + "spawn a server, so " + field + " cannot apply; leave " + field + " out to attach, or start with "
                + "engine_type " + type() + " to spawn a local server");
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
                localDir != null ? localDir : size.hfRepo(), EngineCommands.argKinds(launchArgs()),
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
