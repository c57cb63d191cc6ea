package io.infercore.it;

import io.infercore.support.ServiceProcess;
import io.infercore.support.TestModel;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service stops promptly on SIGTERM, even with a model loaded and a generation in
 * flight: java-llama.cpp can leave a non-daemon native thread behind (upstream issue #116),
 * which must not keep the JVM alive.
 */
class ShutdownIT {

    @Test
    void should_drain_the_stream_in_flight_and_exit_promptly_on_sigterm() throws Exception {
        String model = TestModel.pathString();
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "infercore.llamacpp.model_path", model,
                "infercore.default_model_name", "stories260k",
                "infercore.models_dir", "target/it-models",
                "infercore.llamacpp.threads", "1",
                "infercore.llamacpp.context_length", "512"), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(60));

            HttpClient client = HttpClient.newHttpClient();
            var inFlight = client.sendAsync(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/llm/generate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Once upon a time\",\"max_tokens\":480,"
                            + "\"stream\":true,\"engine_args\":{\"ignore_eos\":true}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(50);

            long started = System.nanoTime();
            service.process().destroy(); // SIGTERM
            boolean exited = service.process().waitFor(15, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(exited).as("exited within 15 s; log:\n" + service.log()).isTrue();
            assertThat(tookMs).isLessThan(15_000);
            assertThat(service.process().exitValue()).as(service.log()).isIn(0, 143);
            assertThat(service.log()).doesNotContain("Exception");
            assertThat(inFlight.get(5, TimeUnit.SECONDS).body()).as("the in-flight stream is drained, not cut")
                    .contains("event: done");
        }
    }
}
