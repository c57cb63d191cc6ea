package io.infercore.it;

import io.infercore.deploy.Manifests;
import io.infercore.support.ServiceProcess;
import io.infercore.support.TestModel;
import io.restassured.path.json.JsonPath;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config.json and models.json of the Kubernetes ConfigMap (deploy/k8s/configmap.yaml) are
 * accepted by the packaged service: it starts on them (a wrong key, type or enum value stops
 * start-up), lists the ConfigMap's catalog, and stops on SIGTERM with the configured
 * supervisor.on_shutdown. Only what a CI machine lacks is overridden: the model, its name and directory.
 */
class DeployConfigIT {

    @Test
    void should_start_on_the_config_map_files_and_serve_its_catalog() throws Exception {
        Path dir = Files.createTempDirectory("infercore-k8s-config");
        Path config = Manifests.configFile("config.json", dir);
        Path models = Manifests.configFile("models.json", dir);
        String model = TestModel.pathString();
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "config.path", config.toString(),
                "infercore.models_config", models.toString(),
                "infercore.models_dir", dir.resolve("models").toString(),
                "infercore.llamacpp.model_path", model,
                "infercore.default_model_name", "stories260k"), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(60));

            HttpResponse<String> catalog = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(catalog.statusCode()).as(catalog.body()).isEqualTo(200);
            assertThat(JsonPath.from(catalog.body()).getList("data.id", String.class))
                    .as(catalog.body()).containsExactly("smollm2-135m", "qwen2-0.5b");
            // llamacpp.threads is 4 in the ConfigMap (2 by default): config.json was read.
            assertThat(service.log()).contains("(4 threads").contains(models.toString());

            service.process().destroy();
            assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).as(service.log()).isTrue();
            assertThat(service.process().exitValue()).as(service.log()).isIn(0, 143);
        }
    }
}
