package io.infercore.supervisor;

import io.infercore.access.Secrets;
import io.infercore.error.InfercoreException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Command lines and environments of the servers the supervisor launches as child processes, by
 * engine: each engine's {@link ServerCommand} (made by its launcher from the configuration) with
 * what every child shares: the download directory and the base environment. Also the checks of
 * {@code engine_args} every launched server shares: values are checked for safety here and for
 * meaning by the engine itself (its refusal, e.g. an unknown {@code dtype}, is a start-up failure
 * carrying its message).
 *
 * @param servers     engine type → its server's command
 * @param downloadDir where servers download models
 * @param baseEnv     added to this service's environment for every child (models dirs, tokens)
 */
record EngineCommands(Map<String, ServerCommand> servers, Path downloadDir, Map<String, String> baseEnv) {

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

    EngineCommands {
        servers = Map.copyOf(servers);
    }

    /** Validates {@code engine_args} for a launched {@code engine} taking {@code allowed}; 400 naming the key and the rule broken. */
    static void checkEngineArgs(String engine, Map<String, ServerCommand.Arg> allowed, Map<String, Object> args) {
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
            ServerCommand.Arg arg = allowed.get(key);
            if (arg == null) {
                throw InfercoreException.invalid("engine_args", field + " is not a launch flag the supervisor passes to "
                        + engine + "; allowed: " + allowed.keySet().stream().sorted().toList());
            }
            checkValue(field, arg.kind(), e.getValue());
        }
    }

    private static void checkValue(String field, ServerCommand.Kind kind, Object value) {
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

    /** The launch arguments in {@code allowed}, each with its kind in lower case (for the launch options). */
    static Map<String, String> argKinds(Map<String, ServerCommand.Arg> allowed) {
        Map<String, String> kinds = new TreeMap<>();
        allowed.forEach((k, a) -> kinds.put(k, a.kind().name().toLowerCase(Locale.ROOT)));
        return kinds;
    }

    /** The server command of {@code engine}. */
    ServerCommand server(String engine) {
        ServerCommand server = servers.get(engine);
        if (server == null) {
            throw new IllegalStateException("engine_type '" + engine + "' has no server command; servers: "
                    + servers.keySet());
        }
        return server;
    }

    /** The configured program and leading arguments that start {@code engine}'s server. */
    List<String> launchCommand(String engine) {
        return server(engine).program();
    }

    /** The readiness (and health) path of a launched engine. */
    String probePath(String engine) {
        return server(engine).probePath();
    }

    /** The full command line of one replica listening on loopback {@code port} with {@code gpuCount} GPUs. */
    List<String> command(LaunchPlan plan, int port, int gpuCount) {
        return server(plan.engineType()).command(plan, "127.0.0.1", port, gpuCount, downloadDir.toString(), false);
    }

    /** Environment additions: models directories and tokens, GPUs, unbuffered Python output (progress shows at once), the key. */
    Map<String, String> environment(LaunchPlan plan, List<String> gpus) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        env.put("CUDA_VISIBLE_DEVICES", String.join(",", gpus));
        env.put("PYTHONUNBUFFERED", "1");
        env.putAll(server(plan.engineType()).keyEnvironment());
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
