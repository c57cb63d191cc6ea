package io.infercore.engine.vllm;

import io.infercore.supervisor.ServerCommand;

import java.util.List;
import java.util.Map;

/**
 * {@code vllm serve <model>} with the flags vLLM documents ({@code docs/ENGINE-PROTOCOLS.md}):
 * {@code --tensor-parallel-size}, {@code --gpu-memory-utilization}, {@code --runner pooling} for
 * embedding models; the API key is read from {@code VLLM_API_KEY}, never put on the command line.
 */
public final class VllmCommand extends ServerCommand {

    /** The {@code engine_args} a vLLM launch may set. */
    public static final Map<String, Arg> ARGS = Map.ofEntries(
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

    private final double gpuMemory;

    /**
     * @param program   {@code vllm.launch_command}
     * @param gpuMemory {@code vllm.gpu_memory_utilization}
     * @param apiKey    {@code vllm.api_key} (null: none)
     */
    public VllmCommand(List<String> program, double gpuMemory, String apiKey) {
        super(program, apiKey);
        this.gpuMemory = gpuMemory;
    }

    @Override
    public String engineType() {
        return VllmEngine.TYPE;
    }

    @Override
    public String probePath() {
        return "/health";
    }

    @Override
    public Map<String, Arg> args() {
        return ARGS;
    }

    @Override
    protected List<String> modelArgs(String source) {
        return List.of(source);
    }

    @Override
    protected String parallelFlag() {
        return "--tensor-parallel-size";
    }

    @Override
    protected List<String> memoryArgs() {
        return List.of("--gpu-memory-utilization", String.valueOf(gpuMemory));
    }

    @Override
    protected List<String> embeddingArgs() {
        return List.of("--runner", "pooling");
    }

    @Override
    protected String keyVariable() {
        return "VLLM_API_KEY";
    }

    @Override
    protected boolean keyOnCommandLine() {
        return false;
    }
}
