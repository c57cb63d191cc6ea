package io.infercore.supervisor;

import io.infercore.engine.sglang.SglangCommand;
import io.infercore.engine.vllm.VllmCommand;
import io.infercore.error.InfercoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The command lines of launched engines, and engine_args that could smuggle in a flag. */
class EngineCommandsTest {

    static final EngineCommands COMMANDS = new EngineCommands(Map.of(
            "vllm", new VllmCommand(List.of("vllm", "serve"), 0.65, "vllm-key"),
            "sglang", new SglangCommand(List.of("python3", "-m", "sglang.launch_server"), 0.8, "sglang-key")),
            Path.of("/models/HF"), Map.of("HF_TOKEN", "hf_x"));

    static LaunchPlan plan(String engine, String quantization, String format, String type, Map<String, Object> args) {
        return new LaunchPlan(engine, RunMode.SPAWNED, "qwen2-0.5b", "0.5B", type, "Qwen/Qwen2-0.5B-Instruct",
                "/data/qwen", null, quantization, format, 2, 1, null, args, null);
    }

    @Test
    void should_build_vllm_serve_with_every_setting_and_keep_the_api_key_off_the_command_line() {
        LaunchPlan plan = plan("vllm", "fp8", "safetensors", "embedding",
                Map.of("max_model_len", 4096, "enable_prefix_caching", false, "trust_remote_code", true));

        List<String> argv = COMMANDS.command(plan, 41000, 2);

        assertThat(argv).containsExactly("vllm", "serve", "/data/qwen", "--host", "127.0.0.1", "--port", "41000",
                "--served-model-name", "Qwen/Qwen2-0.5B-Instruct", "--tensor-parallel-size", "2",
                "--gpu-memory-utilization", "0.65", "--download-dir", "/models/HF", "--quantization", "fp8",
                "--load-format", "safetensors", "--runner", "pooling", "--no-enable-prefix-caching",
                "--max-model-len", "4096", "--trust-remote-code");
        assertThat(COMMANDS.environment(plan, List.of("2", "3")))
                .containsEntry("CUDA_VISIBLE_DEVICES", "2,3").containsEntry("VLLM_API_KEY", "vllm-key")
                .containsEntry("HF_TOKEN", "hf_x");
    }

    @Test
    void should_build_sglang_launch_server_and_mask_its_api_key_when_shown() {
        List<String> argv = COMMANDS.command(plan("sglang", null, null, "llm", Map.of("context_length", 8192)), 41001, 0);

        assertThat(argv).containsExactly("python3", "-m", "sglang.launch_server", "--model-path", "/data/qwen",
                "--host", "127.0.0.1", "--port", "41001", "--served-model-name", "Qwen/Qwen2-0.5B-Instruct", "--tp", "1",
                "--mem-fraction-static", "0.8", "--download-dir", "/models/HF", "--api-key", "sglang-key",
                "--context-length", "8192");
        assertThat(EngineCommands.display(argv)).contains("--api-key ***").doesNotContain("sglang-key");
        assertThat(COMMANDS.environment(plan("sglang", null, null, "llm", Map.of()), List.of()))
                .containsEntry("CUDA_VISIBLE_DEVICES", "").doesNotContainKey("VLLM_API_KEY");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("vllm", Map.of("--api-key", "x"), "not a valid key"),
                arguments("vllm", Map.of("max-model-len", 1), "not a valid key"),
                arguments("vllm", Map.of("port", 9), "cannot be set"),
                arguments("vllm", Map.of("tensor_parallel_size", 2), "use n_gpu"),
                arguments("sglang", Map.of("api_key", "x"), "cannot be set"),
                arguments("vllm", Map.of("dtype", "--api-key=stolen"), "not starting with '-'"),
                arguments("vllm", Map.of("dtype", "half; rm -rf /"), "plain value"),
                arguments("vllm", Map.of("chat_template", "-x"), "file path"),
                arguments("vllm", Map.of("chat_template", "a\nb"), "file path"),
                arguments("vllm", Map.of("max_model_len", "4096"), "positive integer"),
                arguments("vllm", Map.of("max_model_len", 0), "positive integer"),
                arguments("vllm", Map.of("max_model_len", 1.5), "positive integer"),
                arguments("vllm", Map.of("enforce_eager", "yes"), "true or false"),
                arguments("vllm", Map.of("context_length", 4096), "allowed:"),
                arguments("sglang", Map.of("max_model_len", 4096), "allowed:"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void should_refuse_engine_args_that_could_inject_or_do_not_fit(String engine, Map<String, Object> args, String reason) {
        assertThatThrownBy(() -> EngineCommands.checkEngineArgs(engine, COMMANDS.server(engine).args(), args))
                .isInstanceOf(InfercoreException.class)
                .hasMessageContaining("engine_args." + args.keySet().iterator().next())
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InfercoreException) e).httpStatus()).isEqualTo(400));
    }
}
