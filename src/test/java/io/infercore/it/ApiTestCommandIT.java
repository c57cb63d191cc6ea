package io.infercore.it;

import io.infercore.support.CliProcess;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.ServiceProcess;
import io.infercore.support.TestModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar quarkus-run.jar api-test} against the packaged service running as another
 * process (embedded engine, stories260K), against a port where nothing listens, and with a call
 * that must fail. api-test itself never boots the application, so it answers within seconds.
 */
class ApiTestCommandIT {

    static final Duration LIMIT = Duration.ofSeconds(120);
    static ServiceProcess service;
    static String port;

    @BeforeAll
    static void startService() throws Exception {
        service = ServiceProcess.start(Map.of(
                "infercore.llamacpp.model_path", TestModel.pathString(),
                "infercore.default_model_name", "stories260k",
                "infercore.models_dir", "target/it-models",
                "infercore.llamacpp.threads", "1",
                "infercore.llamacpp.context_length", "512"), List.of("serve"));
        service.awaitReady(Duration.ofSeconds(60));
        port = String.valueOf(URI.create(service.baseUrl()).getPort());
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void should_call_every_endpoint_print_each_code_and_exit_0_against_a_running_service() throws Exception {
        CliProcess.Result r = CliProcess.jar(Map.of(), List.of("api-test", "--port", port), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString())
                .contains("api-test against http://127.0.0.1:" + port)
                .containsPattern("POST /api/v1/llm/generate\\s+code=200  data=\\{\"text\":")
                .containsPattern("POST /api/v1/llm/chat\\s+code=200  data=\\{.*\"message\":\\{\"role\":\"assistant\"")
                .containsPattern("POST /api/v1/llm/structured-generate\\s+code=200  data=\\{\"json\":")
                .containsPattern("POST /api/v1/llm/embed\\s+code=200  data=\\{\"embeddings\":\\[\"\\[384 numbers]\"]")
                .containsPattern("POST /v1/chat/completions\\s+code=200  data=\"")
                .containsPattern("7 calls: [5-7] ok, 0 failed, [0-2] skipped");
        // the model and run lists are optional: listed when the service has them, else skipped with a note
        assertThat(r.stdout()).containsPattern("GET  /api/v1/models\\s+(code=200  data=|skipped: not served)")
                .containsPattern("GET  /api/v1/models/running\\s+(code=200  data=|skipped: not served)");
        assertThat(r.took()).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void should_exit_1_and_name_the_failing_call_when_an_endpoint_answers_an_error() throws Exception {
        // vllm.base_url is not set in that service: every generation on vLLM is a 503 with the hint
        CliProcess.Result r = CliProcess.jar(Map.of(), List.of("api-test", "--port", port, "--engine", "vllm",
                "--model", "Qwen/Qwen2-0.5B-Instruct"), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).as(r.toString())
                .containsPattern("POST /api/v1/llm/generate\\s+code=503  FAILED: vllm is not reachable")
                .containsPattern("POST /api/v1/llm/embed\\s+code=200")
                .containsPattern("7 calls: \\d ok, 4 failed");
    }

    @Test
    void should_exit_1_with_a_hint_when_nothing_listens_on_the_port() throws Exception {
        String closed = String.valueOf(FakeEngineProcess.freePort());
        CliProcess.Result r = CliProcess.jar(Map.of(), List.of("api-test", "--port", closed), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).contains("cannot connect to http://127.0.0.1:" + closed)
                .contains("is the service running?").contains("serve --port " + closed)
                .contains("FAILED: the service is not reachable");
        assertThat(r.took()).as("no application boot in api-test").isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void should_exit_2_on_an_unknown_option() throws Exception {
        CliProcess.Result r = CliProcess.jar(Map.of(), List.of("api-test", "--prot", "8000"), LIMIT);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("unknown argument '--prot'").contains("usage: infercore api-test");
    }
}
