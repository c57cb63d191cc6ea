package io.infercore.supervisor;

import io.infercore.access.Secrets;
import io.infercore.error.InfercoreException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Command lines and environments of launched vLLM and SGLang servers, with the flags each
 * documents ({@code docs/ENGINE-PROTOCOLS.md}). Only the supervisor chooses host, port,
 * model, served name, GPU split and download directory; {@code engine_args} may add the flags
 * listed in {@link #VLLM_ARGS} / {@link #SGLANG_ARGS}, with typed values that can never be read
 * as another flag. Values are checked for safety here and for meaning by the engine itself (its
 * refusal, e.g. an unknown {@code dtype}, is a start-up failure carrying its message).
 *
 * @param vllmCommand   {@code vllm.launch_command}
 * @param sglangCommand {@code sglang.launch_command}
 * @param baseEnv       added to this service's environment for every child (models dirs, tokens)
 */
record EngineCommands(List<String> vllmCommand, List<String> sglangCommand, double vllmGpuMemory,
                      Double sglangMemFraction, Path downloadDir, Map<String, String> baseEnv,
                      String vllmApiKey, String sglangApiKey) {

    enum Kind { INT, NON_NEGATIVE_INT, FLAG, ON_OFF, TOKEN, PATH }

    record Arg(String flag, Kind kind) {
    }

    static final Map<String, Arg> VLLM_ARGS = Map.ofEntries(
            Map.entry("max_model_len", new Arg("--max-model-len", Kind.INT)),
            Map.entry("dtype", new Arg("--dtype", Kind.TOKEN)),
            Map.entry("kv_cache_dtype", new Arg("--kv-cache-dtype", Kind.TOKEN)),
            Map.entry("trust_remote_code", new Arg("--trust-remote-code", Kind.FLAG)),
            Map.entry("enforce_eager", new Arg("--enforce-eager", Kind.FLAG)),
            Map.entry("max_num_seqs", new Arg("--max-num-seqs", Kind.INT)),
            Map.entry("max_num_batched_tokens", new Arg("--max-num-batched-tokens", Kind.INT)),
            Map.entry("pipeline_parallel_size", new Arg("--pipeline-parallel-size", Kind.INT)),
            Map.entry("seed", new Arg("--seed", Kind.NON_NEGATIVE_INT)),
            Map.entry("revision", new Arg("--revision", Kind.TOKEN)),
            Map.entry("tokenizer", new Arg("--tokenizer", Kind.PATH)),
            Map.entry("chat_template", new Arg("--chat-template", Kind.PATH)),
            Map.entry("enable_prefix_caching", new Arg("--enable-prefix-caching", Kind.ON_OFF)),
            Map.entry("reasoning_parser", new Arg("--reasoning-parser", Kind.TOKEN)),
            Map.entry("enable_auto_tool_choice", new Arg("--enable-auto-tool-choice", Kind.FLAG)),
            Map.entry("tool_call_parser", new Arg("--tool-call-parser", Kind.TOKEN)));

    static final Map<String, Arg> SGLANG_ARGS = Map.ofEntries(
            Map.entry("context_length", new Arg("--context-length", Kind.INT)),
            Map.entry("dtype", new Arg("--dtype", Kind.TOKEN)),
            Map.entry("trust_remote_code", new Arg("--trust-remote-code", Kind.FLAG)),
            Map.entry("dp", new Arg("--dp", Kind.INT)),
            Map.entry("chunked_prefill_size", new Arg("--chunked-prefill-size", Kind.INT)),
            Map.entry("max_running_requests", new Arg("--max-running-requests", Kind.INT)),
            Map.entry("max_total_tokens", new Arg("--max-total-tokens", Kind.INT)),
            Map.entry("random_seed", new Arg("--random-seed", Kind.NON_NEGATIVE_INT)),
            Map.entry("grammar_backend", new Arg("--grammar-backend", Kind.TOKEN)),
            Map.entry("reasoning_parser", new Arg("--reasoning-parser", Kind.TOKEN)),
            Map.entry("tool_call_parser", new Arg("--tool-call-parser", Kind.TOKEN)),
            Map.entry("chat_template", new Arg("--chat-template", Kind.PATH)),
            Map.entry("tokenizer_path", new Arg("--tokenizer-path", Kind.PATH)),
            Map.entry("disable_radix_cache", new Arg("--disable-radix-cache", Kind.FLAG)),
            Map.entry("enable_metrics", new Arg("--enable-metrics", Kind.FLAG)),
            Map.entry("skip_server_warmup", new Arg("--skip-server-warmup", Kind.FLAG)));

    /** Flags the supervisor sets itself; {@code engine_args} naming them get a 400 saying which field to use. */
    static final Map<String, String> RESERVED = Map.ofEntries(
            Map.entry("host", "chosen by the supervisor (127.0.0.1)"), Map.entry("port", "chosen by the supervisor"),
            Map.entry("model", "use model_id and size"), Map.entry("model_path", "use model_id and size"),
            Map.entry("served_model_name", "set by the supervisor"), Map.entry("tensor_parallel_size", "use n_gpu"),
            Map.entry("tp", "use n_gpu"), Map.entry("tp_size", "use n_gpu"), Map.entry("quantization", "use quantization"),
            Map.entry("load_format", "use format"), Map.entry("gpu_memory_utilization", "set vllm.gpu_memory_utilization"),
            Map.entry("mem_fraction_static", "set sglang.mem_fraction_static"),
            Map.entry("download_dir", "models are stored under models_dir"),
            Map.entry("api_key", "set vllm.api_key / sglang.api_key"), Map.entry("runner", "follows model_type"),
            Map.entry("task", "follows model_type"), Map.entry("is_embedding", "follows model_type"));

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,199}");

    /** Validates {@code engine_args} for a launched {@code engine}; 400 naming the key and the rule broken. */
    static void checkEngineArgs(String engine, Map<String, Object> args) {
        Map<String, Arg> allowed = "vllm".equals(engine) ? VLLM_ARGS : SGLANG_ARGS;
        for (Map.Entry<String, Object> e : args.entrySet()) {
            String key = e.getKey();
            String field = "engine_args." + key;
            if (!KEY.matcher(key).matches()) {
                throw InfercoreException.invalid("engine_args", field + " is not a valid key: use the flag's name in "
                        + "snake_case without dashes, e.g. max_model_len for --max-model-len");
            }
            if (RESERVED.containsKey(key)) {
                throw InfercoreException.invalid("engine_args", field + " cannot be set: " + RESERVED.get(key));
            }
            Arg arg = allowed.get(key);
            if (arg == null) {
                throw InfercoreException.invalid("engine_args", field + " is not a launch flag the supervisor passes to "
                        + engine + "; allowed: " + allowed.keySet().stream().sorted().toList());
            }
            checkValue(field, arg.kind(), e.getValue());
        }
    }

    private static void checkValue(String field, Kind kind, Object value) {
        boolean ok = switch (kind) {
            case INT -> isLong(value) && ((Number) value).longValue() >= 1 && ((Number) value).longValue() <= 1_000_000_000L;
            case NON_NEGATIVE_INT -> isLong(value) && ((Number) value).longValue() >= 0
                    && ((Number) value).longValue() <= Integer.MAX_VALUE;
            case FLAG, ON_OFF -> value instanceof Boolean;
            case TOKEN -> value instanceof String s && TOKEN.matcher(s).matches();
            case PATH -> value instanceof String s && !s.isBlank() && !s.startsWith("-") && s.length() <= 4096
                    && s.chars().noneMatch(Character::isISOControl);
        };
        if (!ok) {
            String expected = switch (kind) {
                case INT -> "a positive integer";
                case NON_NEGATIVE_INT -> "a non-negative integer";
                case FLAG, ON_OFF -> "true or false";
                case TOKEN -> "a plain value (letters, digits and . _ : / + = -, not starting with '-')";
                case PATH -> "a file path (not starting with '-', no control characters)";
            };
            throw InfercoreException.invalid("engine_args", field + " must be " + expected + ", not " + describe(value));
        }
    }

    private static boolean isLong(Object value) {
        return value instanceof Integer || value instanceof Long
                || (value instanceof java.math.BigInteger b && b.bitLength() < 63);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /** The launch arguments {@code engine} takes, each with its kind in lower case (for the launch options). */
    static Map<String, String> argKinds(String engine) {
        Map<String, String> kinds = new java.util.TreeMap<>();
        ("vllm".equals(engine) ? VLLM_ARGS : SGLANG_ARGS).forEach((k, a) -> kinds.put(k, a.kind().name().toLowerCase(Locale.ROOT)));
        return kinds;
    }

    /** The configured program and leading arguments that start {@code engine}'s server. */
    List<String> launchCommand(String engine) {
        return "vllm".equals(engine) ? vllmCommand : sglangCommand;
    }

    /** The readiness (and health) path of a launched engine. */
    static String probePath(String engine) {
        return "vllm".equals(engine) ? "/health" : "/health_generate";
    }

    /** The full command line of one replica listening on {@code port} with {@code gpuCount} GPUs. */
    List<String> command(LaunchPlan plan, int port, int gpuCount) {
        return command(plan, "127.0.0.1", port, gpuCount, downloadDir.toString(), sglangApiKey);
    }

    /**
     * The command line for another host: {@code host} to listen on, the download directory as that
     * host sees it, and the SGLang key as it should appear there (a Kubernetes {@code $(VAR)}
     * reference instead of the key itself; null: none).
     */
    List<String> command(LaunchPlan plan, String host, int port, int gpuCount, String downloadPath, String sglangKey) {
        boolean vllm = "vllm".equals(plan.engineType());
        List<String> argv = new ArrayList<>(vllm ? vllmCommand : sglangCommand);
        if (vllm) {
            argv.add(plan.modelSource());
        } else {
            argv.addAll(List.of("--model-path", plan.modelSource()));
        }
        argv.addAll(List.of("--host", host, "--port", String.valueOf(port),
                "--served-model-name", plan.modelName()));
        argv.addAll(List.of(vllm ? "--tensor-parallel-size" : "--tp", String.valueOf(Math.max(1, gpuCount))));
        if (vllm) {
            argv.addAll(List.of("--gpu-memory-utilization", String.valueOf(vllmGpuMemory)));
        } else if (sglangMemFraction != null) {
            argv.addAll(List.of("--mem-fraction-static", String.valueOf(sglangMemFraction)));
        }
        argv.addAll(List.of("--download-dir", downloadPath));
        if (plan.quantization() != null) {
            argv.addAll(List.of("--quantization", plan.quantization()));
        }
        if (plan.loadFormat() != null) {
            argv.addAll(List.of("--load-format", plan.loadFormat()));
        }
        if (plan.embedding()) {
            argv.addAll(vllm ? List.of("--runner", "pooling") : List.of("--is-embedding"));
        }
        if (!vllm && sglangKey != null) {
            argv.addAll(List.of("--api-key", sglangKey)); // SGLang reads it from no environment variable
        }
        Map<String, Arg> known = vllm ? VLLM_ARGS : SGLANG_ARGS;
        plan.engineArgs().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Arg arg = known.get(e.getKey());
            switch (arg.kind()) {
                case FLAG -> {
                    if (Boolean.TRUE.equals(e.getValue())) {
                        argv.add(arg.flag());
                    }
                }
                case ON_OFF -> argv.add(Boolean.TRUE.equals(e.getValue()) ? arg.flag() : "--no-" + arg.flag().substring(2));
                case PATH -> argv.addAll(List.of(arg.flag(), LaunchContext.expandHome(e.getValue().toString())));
                default -> argv.addAll(List.of(arg.flag(), e.getValue().toString()));
            }
        });
        return argv;
    }

    /** Environment additions: models directories and tokens, GPUs, unbuffered Python output (progress shows at once). */
    Map<String, String> environment(LaunchPlan plan, List<String> gpus) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        env.put("CUDA_VISIBLE_DEVICES", String.join(",", gpus));
        env.put("PYTHONUNBUFFERED", "1");
        if ("vllm".equals(plan.engineType()) && vllmApiKey != null) {
            env.put("VLLM_API_KEY", vllmApiKey); // not on the command line, where ps shows it
        }
        return env;
    }

    /** The command line for logs and events, secrets masked. */
    static String display(List<String> argv) {
        List<String> shown = new ArrayList<>(argv);
        for (int i = 0; i < shown.size() - 1; i++) {
            String flag = shown.get(i).toLowerCase(Locale.ROOT);
            if (flag.equals("--api-key") || flag.equals("--hf-token") || flag.equals("--token")) {
                shown.set(i + 1, Secrets.MASK);
            }
        }
        return Secrets.redact(String.join(" ", shown));
    }
}
