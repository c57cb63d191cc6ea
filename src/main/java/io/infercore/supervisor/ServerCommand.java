package io.infercore.supervisor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of one engine's server, as the supervisor launches it (a child process, or the
 * container of a Kubernetes Pod), rebuilt from a persisted {@link LaunchPlan} and the engine's
 * configuration. Only the supervisor chooses host, port, model, served name, GPU split and
 * download directory; {@code engine_args} may add the flags the engine lists in {@link #args()},
 * with typed values that can never be read as another flag ({@link EngineCommands#checkEngineArgs}).
 * The skeleton is shared by servers of Hugging Face checkpoints; each engine's subclass, in its own
 * package, says how it spells each part. Built by the engine's {@link EngineLauncher#serverCommand}.
 */
public abstract class ServerCommand {

    /** How an {@code engine_args} value is checked and passed. */
    public enum Kind { INT, NON_NEGATIVE_INT, FLAG, ON_OFF, TOKEN, PATH }

    /** One launch flag an {@code engine_args} key maps onto. */
    public record Arg(String flag, Kind kind) {
    }

    private final List<String> program;
    private final String apiKey;

    /**
     * @param program the configured program and leading arguments that start the server
     * @param apiKey  the key the server requires of callers (null: none)
     */
    protected ServerCommand(List<String> program, String apiKey) {
        this.program = List.copyOf(program);
        this.apiKey = apiKey;
    }

    /** The {@code engine_type} whose server this starts. */
    public abstract String engineType();

    /** The readiness (and health) route: answers 200 once the server serves. */
    public abstract String probePath();

    /** The {@code engine_args} keys a launch may set, each with the flag it becomes. */
    public abstract Map<String, Arg> args();

    /** The arguments naming what the server loads ({@code source}: repo id or directory). */
    protected abstract List<String> modelArgs(String source);

    /** The flag of the tensor parallel size (GPUs per replica). */
    protected abstract String parallelFlag();

    /** The configured memory share flags (empty when unset). */
    protected abstract List<String> memoryArgs();

    /** The flags that make it serve an embedding model. */
    protected abstract List<String> embeddingArgs();

    /** The environment variable the key is read from (in the Pod, also the key's name in the Secret). */
    protected abstract String keyVariable();

    /** True when the server reads its key from {@code --api-key} only, not from {@link #keyVariable()}. */
    protected abstract boolean keyOnCommandLine();

    /** The configured program and leading arguments. */
    public List<String> program() {
        return program;
    }

    /**
     * The full command line of one replica.
     *
     * @param host           the address to listen on
     * @param gpuCount       GPUs of the replica (tensor parallel size; at least 1)
     * @param downloadPath   where the server downloads models, as its host sees it
     * @param keyByReference the key on the command line as a Kubernetes {@code $(VAR)} reference, expanded by
     *                       the kubelet from the Secret, instead of the key itself
     */
    public List<String> command(LaunchPlan plan, String host, int port, int gpuCount, String downloadPath,
                                boolean keyByReference) {
        List<String> argv = new ArrayList<>(program);
        argv.addAll(modelArgs(plan.modelSource()));
        argv.addAll(List.of("--host", host, "--port", String.valueOf(port), "--served-model-name", plan.modelName()));
        argv.addAll(List.of(parallelFlag(), String.valueOf(Math.max(1, gpuCount))));
        argv.addAll(memoryArgs());
        argv.addAll(List.of("--download-dir", downloadPath));
        if (plan.quantization() != null) {
            argv.addAll(List.of("--quantization", plan.quantization()));
        }
        if (plan.loadFormat() != null) {
            argv.addAll(List.of("--load-format", plan.loadFormat()));
        }
        if (plan.embedding()) {
            argv.addAll(embeddingArgs());
        }
        if (keyOnCommandLine() && apiKey != null) {
            argv.addAll(List.of("--api-key", keyByReference ? "$(" + keyVariable() + ")" : apiKey));
        }
        Map<String, Arg> known = args();
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

    /** The key as a child process's environment carries it: not on the command line, where ps shows it. */
    public Map<String, String> keyEnvironment() {
        return keyOnCommandLine() || apiKey == null ? Map.of() : Map.of(keyVariable(), apiKey);
    }

    /** Variables a Pod takes from the Secret for this server's key (name → key in the Secret). */
    public Map<String, String> secretVariables() {
        Map<String, String> out = new LinkedHashMap<>();
        if (apiKey != null) {
            out.put(keyVariable(), keyVariable());
        }
        return out;
    }
}
