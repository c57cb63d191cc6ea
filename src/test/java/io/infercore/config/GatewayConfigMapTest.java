package io.infercore.config;

import io.infercore.deploy.Manifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway ConfigMap's config.json passes the service's own config file check (every key known, typed). */
class GatewayConfigMapTest {

    @Test
    void should_accept_the_gateway_config_json(@TempDir Path dir) throws Exception {
        String json = Manifests.get(Manifests.GATEWAY_DIR, "ConfigMap", "infercore-gateway-config").path("data")
                .path("config.json").asText();
        Path file = Files.writeString(dir.resolve("config.json"), json);
        Map<String, String> props = ConfigJsonSourceProvider.read(file);
        assertThat(props).containsEntry("infercore.supervisor.backend", "kubernetes")
                .containsEntry("infercore.supervisor.kubernetes.models_claim", "infercore-models")
                .containsEntry("infercore.supervisor.prefix_affinity_chars", "512");
    }
}
