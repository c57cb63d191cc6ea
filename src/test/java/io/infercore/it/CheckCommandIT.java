package io.infercore.it;

import io.infercore.support.CliProcess;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.TestModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar quarkus-run.jar check} on the packaged application: the embedded engine with
 * stories260K, a fake vLLM server, and Ollama / SGLang addresses where nothing listens. The exit
 * code follows the default engine only, and the process ends promptly although java-llama.cpp
 * keeps a native thread (upstream #116).
 */
class CheckCommandIT {

    static final String VLLM_MODEL = "Qwen/Qwen2-0.5B-Instruct";
    static final Duration LIMIT = Duration.ofSeconds(90);
    static FakeEngineProcess vllm;

    @TempDir
    Path dir;

    @BeforeAll
    static void startFake() {
        vllm = FakeEngineProcess.vllm(VLLM_MODEL);
    }

    @AfterAll
    static void stopFake() {
        vllm.close();
    }

    private Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(Map.of(
                "infercore.llamacpp.model_path", TestModel.pathString(),
                "infercore.default_model_name", "stories260k",
                "infercore.models_dir", dir.resolve("models").toString(),
                "infercore.llamacpp.threads", "1",
                "infercore.llamacpp.context_length", "512",
                "infercore.vllm.base_url", vllm.baseUrl(),
                "infercore.ollama.base_url", "http://127.0.0.1:" + FakeEngineProcess.freePort(),
                "infercore.sglang.base_url", "http://127.0.0.1:" + FakeEngineProcess.freePort()));
        return p;
    }

    private static String row(String stdout, String engine) {
        return stdout.lines().filter(l -> l.startsWith(engine + " ") || l.startsWith(engine + "* ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + engine + " in:\n" + stdout));
    }

    @Test
    void should_report_each_engine_and_exit_0_when_the_default_engine_generates_without_binding_http() throws Exception {
        vllm.resetStats();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> p = properties();
            p.put("quarkus.http.port", String.valueOf(taken.getLocalPort())); // a listener would fail to bind
            CliProcess.Result r = CliProcess.jar(p, List.of("check"), LIMIT);

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.took()).as("ends promptly despite llama.cpp's native thread").isLessThan(Duration.ofSeconds(60));
            assertThat(r.stdout()).as(r.toString()).containsPattern("(?m)^ENGINE\\s+STATUS\\s+LATENCY\\s+HINT$");
            assertThat(row(r.stdout(), "llamacpp")).startsWith("llamacpp*").containsPattern("\\bok\\b\\s+\\d+ ms")
                    .contains("stories260k: \"");
            assertThat(row(r.stdout(), "vllm")).containsPattern("\\bok\\b\\s+\\d+ ms").contains(VLLM_MODEL + ": \"");
            assertThat(row(r.stdout(), "ollama")).containsPattern("\\bdown\\b").contains("ollama serve");
            assertThat(row(r.stdout(), "sglang")).containsPattern("\\bdown\\b").contains("sglang.launch_server");
            assertThat(r.stdout()).contains("* default engine llamacpp: ok").doesNotContain("check failed");
        }
        assertThat(vllm.stats().path("requests").path("/v1/completions").asInt())
                .as("a real generation reached the vLLM server").isEqualTo(1);
    }

    @Test
    void should_exit_1_when_the_default_model_is_missing() throws Exception {
        Map<String, String> p = properties();
        Path missing = dir.resolve("no-such-model.gguf");
        p.put("infercore.llamacpp.model_path", missing.toString());
        CliProcess.Result r = CliProcess.jar(p, List.of("check"), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(row(r.stdout(), "llamacpp")).startsWith("llamacpp*").containsPattern("\\bdown\\b")
                .contains("not found at " + missing).contains("llamacpp.model_path");
        assertThat(row(r.stdout(), "vllm")).as("other engines are still probed").containsPattern("\\bok\\b");
        assertThat(r.stdout()).contains("* default engine llamacpp: down (check failed)");
    }

    @Test
    void should_follow_the_configured_default_engine_for_the_exit_code() throws Exception {
        Map<String, String> p = properties();
        p.put("infercore.default_engine", "ollama");
        CliProcess.Result r = CliProcess.jar(p, List.of("check"), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(row(r.stdout(), "ollama")).startsWith("ollama*").containsPattern("\\bdown\\b");
        assertThat(row(r.stdout(), "llamacpp")).as("the embedded engine still serves its GGUF").containsPattern("\\bok\\b");
        assertThat(r.stdout()).contains("* default engine ollama: down (check failed)");
    }

    @Test
    void should_exit_1_naming_file_and_key_when_the_configuration_is_invalid() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"llamacpp\": {\"threads\": \"many\"}}");
        Map<String, String> p = properties();
        p.put("config.path", config.toString());
        CliProcess.Result r = CliProcess.jar(p, List.of("check"), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("check could not start").contains(config.toString()).contains("llamacpp.threads");
        assertThat(r.stdout()).doesNotContain("ENGINE");
    }

    @Test
    void should_exit_2_on_an_argument_check_does_not_take() throws Exception {
        CliProcess.Result r = CliProcess.jar(Map.of(), List.of("check", "--bogus"), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("usage: infercore check");
        assertThat(r.stdout()).doesNotContain("ENGINE");
    }
}
