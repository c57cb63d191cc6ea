package io.infercore.it;

import io.infercore.support.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access on the packaged jar: keys from the {@code INFERCORE_API_KEYS} environment variable, the
 * loopback-only default bind (and {@code 0.0.0.0} only with {@code --host}), and a service log
 * (its captured stdout) that shows no key.
 */
class AccessIT {

    private static final String KEY_A = "sk-env-key-aaaa1111";
    private static final String KEY_B = "sk-env-key-bbbb2222";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(ServiceProcess service, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_take_keys_from_the_environment_bind_loopback_and_log_no_secret() throws Exception {
        Path models = Files.createTempDirectory("access-it");
        try (ServiceProcess service = ServiceProcess.start(Map.of("infercore.llamacpp.load_on_start", "false",
                        "infercore.models_dir", models.toString()),
                Map.of("INFERCORE_API_KEYS", KEY_A + "," + KEY_B), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(90));
            assertThat(get(service, "/api/v1/models").statusCode()).isEqualTo(401);
            assertThat(get(service, "/api/v1/models", "Authorization", "Bearer " + KEY_A).statusCode()).isEqualTo(200);
            assertThat(get(service, "/v1/models", "X-API-Key", KEY_B).statusCode()).isEqualTo(200);
            assertThat(get(service, "/v1/models", "Authorization", "Bearer " + KEY_A + "x").statusCode()).isEqualTo(401);
            assertThat(get(service, "/health").statusCode()).isEqualTo(200);
            assertThat(get(service, "/").statusCode()).isEqualTo(200);

            String log = service.log();
            assertThat(log).containsPattern("Listening on: http://127\\.0\\.0\\.1:\\d+")
                    .contains("2 API key(s) configured");
            assertThat(log).doesNotContain(KEY_A).doesNotContain(KEY_B);
        }
    }

    @Test
    void should_bind_every_interface_only_when_told_to() throws Exception {
        Path models = Files.createTempDirectory("access-it");
        try (ServiceProcess service = ServiceProcess.start(Map.of("infercore.llamacpp.load_on_start", "false",
                "infercore.models_dir", models.toString()), List.of("serve", "--host", "0.0.0.0"))) {
            service.awaitReady(Duration.ofSeconds(90));
            assertThat(service.log()).containsPattern("Listening on: http://0\\.0\\.0\\.0:\\d+")
                    .contains("No API keys configured");
        }
    }
}
