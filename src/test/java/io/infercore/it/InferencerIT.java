package io.infercore.it;

import io.infercore.support.CliProcess;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.TestModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java API example ({@code examples/InferencerExample.java}) run exactly as documented:
 * a plain {@code java} launch (no Quarkus launcher, no HTTP) on the packaged application's jars, so
 * {@code Inferencer.builder().build()} boots the application itself. Against the embedded engine
 * and a fake vLLM server, and with an engine that is not reachable.
 */
class InferencerIT {

    static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private CliProcess.Result example(Map<String, String> properties, String... args) throws Exception {
        Path app = CliProcess.quarkusApp();
        String classPath = String.join(File.pathSeparator, app.resolve("quarkus") + "/*", app.resolve("app") + "/*",
                app.resolve("lib/main") + "/*", app.resolve("lib/boot") + "/*");
        List<String> command = new ArrayList<>(List.of(CliProcess.java(), "-Dinfercore.models_dir=" + dir.resolve("models"),
                "-Dinfercore.llamacpp.threads=1", "-Dinfercore.llamacpp.context_length=512"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", classPath, "examples/InferencerExample.java"));
        command.addAll(List.of(args));
        return CliProcess.run(command, LIMIT);
    }

    private static Map<String, String> embedded() {
        return Map.of("infercore.llamacpp.model_path", TestModel.pathString(), "infercore.default_model_name", "stories260k");
    }

    @Test
    void should_run_the_readme_example_on_the_embedded_model_and_exit() throws Exception {
        CliProcess.Result r = example(embedded());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString())
                .containsPattern("(?m)^generate: .*\\S")
                .containsPattern("(?m)^chat: ")
                .containsPattern("(?m)^stream: .*\\S")
                .containsPattern("(?m)^structured: .* valid=(true|false)$")
                .contains("embed: 384 dimensions")
                .contains("error: INVALID_REQUEST (temperature): temperature must be between 0 and 2, got 3.0")
                .contains("infercore stopped in")
                .doesNotContain("Listening on: http");
    }

    @Test
    void should_run_the_readme_example_against_a_fake_vllm() throws Exception {
        try (FakeEngineProcess vllm = FakeEngineProcess.vllm("Qwen/Qwen2-0.5B-Instruct")) {
            CliProcess.Result r = example(Map.of("infercore.vllm.base_url", vllm.baseUrl(),
                    "infercore.llamacpp.load_on_start", "false"), "vllm", "Qwen/Qwen2-0.5B-Instruct");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            // the fake's deterministic words (alpha, bravo, ... fjord)
            assertThat(r.stdout()).as(r.toString())
                    .containsPattern("(?m)^generate: [a-z]+( [a-z]+)+$")
                    .containsPattern("(?m)^chat: [a-z]+( [a-z]+)+$")
                    .containsPattern("(?m)^stream: [a-z]+( [a-z]+)+$")
                    .containsPattern("(?m)^structured: \\{.*\"city\":\"[a-z ]+\".*} valid=true$")
                    .contains("embed: 384 dimensions") // the embedded embedding model, whatever engine generates
                    .contains("error: INVALID_REQUEST (temperature)");
            assertThat(vllm.stats().path("requests").path("/v1/chat/completions").asInt()).isPositive();
        }
    }

    @Test
    void should_end_with_the_engine_hint_when_the_engine_is_not_reachable() throws Exception {
        CliProcess.Result r = example(Map.of("infercore.llamacpp.load_on_start", "false",
                "infercore.ollama.base_url", "http://127.0.0.1:" + FakeEngineProcess.freePort()), "ollama", "llama3.2");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).as(r.toString()).contains("infercore: ENGINE_UNAVAILABLE: ollama is not reachable at")
                .contains("ollama serve");
    }
}
