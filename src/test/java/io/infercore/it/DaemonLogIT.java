package io.infercore.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.support.ServiceProcess;
import io.infercore.support.TestModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service run as a daemon with the log options the README's "Deploy" section
 * documents: a log file in JSON lines (each carrying the process id) while the console keeps the
 * plain format, and a clean exit on SIGTERM with the shutdown recorded in the file.
 */
class DaemonLogIT {

    @Test
    void should_write_json_lines_to_the_log_file_and_record_the_sigterm_shutdown() throws Exception {
        Path dir = Files.createTempDirectory("infercore-daemon");
        Path logFile = dir.resolve("log").resolve("infercore.log");
        String model = TestModel.pathString();
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "infercore.llamacpp.model_path", model,
                "infercore.default_model_name", "stories260k",
                "infercore.models_dir", "target/it-models",
                "infercore.llamacpp.threads", "1",
                "infercore.llamacpp.context_length", "512",
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", logFile.toString(),
                "quarkus.log.file.json.enabled", "true",
                "quarkus.log.file.rotation.max-file-size", "10M"), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(60));

            service.process().destroy(); // SIGTERM, as systemd and Kubernetes send it
            assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).as(service.log()).isTrue();
            assertThat(service.process().exitValue()).as(service.log()).isIn(0, 143);

            List<JsonNode> lines = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(logFile)) {
                lines.add(json.readTree(line)); // every line is one JSON object
            }
            assertThat(lines).isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("level").asText()).isNotEmpty();
                assertThat(line.path("processId").asLong()).isEqualTo(service.process().pid());
            });
            assertThat(lines).anySatisfy(line -> assertThat(line.path("message").asText()).contains("Listening on"));
            assertThat(lines).anySatisfy(line -> assertThat(line.path("message").asText()).contains("stopped in"));
            assertThat(service.log()).as("the console keeps the plain format").contains("Listening on")
                    .doesNotStartWith("{");
        }
    }
}
