package io.infercore.engine.sglang;

import io.infercore.supervisor.ServerCommand;

import java.util.List;
import java.util.Map;

/**
 * {@code python3 -m sglang.launch_server --model-path <model>} with the flags SGLang documents
 * ({@code docs/ENGINE-PROTOCOLS.md}): {@code --tp}, {@code --mem-fraction-static} when configured,
 * {@code --is-embedding} for embedding models; the API key goes on the command line, since
 * SGLang reads it from no environment variable (in a Pod, as a reference to the Secret).
 */
public final class SglangCommand extends ServerCommand {

    /** The {@code engine_args} an SGLang launch may set. */
    public static final Map<String, Arg> ARGS = Map.ofEntries(
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

    private final Double memFraction;

    /**
     * @param program     {@code sglang.launch_command}
     * @param memFraction {@code sglang.mem_fraction_static} (null: SGLang's own choice)
     * @param apiKey      {@code sglang.api_key} (null: none)
     */
    public SglangCommand(List<String> program, Double memFraction, String apiKey) {
        super(program, apiKey);
        this.memFraction = memFraction;
    }

    @Override
    public String engineType() {
        return SglangEngine.TYPE;
    }

    @Override
    public String probePath() {
        return "/health_generate";
    }

    @Override
    public Map<String, Arg> args() {
        return ARGS;
    }

    @Override
    protected List<String> modelArgs(String source) {
        return List.of("--model-path", source);
    }

    @Override
    protected String parallelFlag() {
        return "--tp";
    }

    @Override
    protected List<String> memoryArgs() {
        return memFraction == null ? List.of() : List.of("--mem-fraction-static", String.valueOf(memFraction));
    }

    @Override
    protected List<String> embeddingArgs() {
        return List.of("--is-embedding");
    }

    @Override
    protected String keyVariable() {
        return "SGLANG_API_KEY";
    }

    @Override
    protected boolean keyOnCommandLine() {
        return true;
    }
}
