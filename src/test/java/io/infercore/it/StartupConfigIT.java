package io.infercore.it;

import io.infercore.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad config.json stops the packaged service at start-up with the file and the key at fault. */
class StartupConfigIT {

    @TempDir
    Path dir;

    @Test
    void should_refuse_to_start_with_malformed_json_naming_file_and_line() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"default_model_name\": \"x\",\n \"llamacpp\": {\"threads\": }}");
        String log = runUntilExit(config);
        assertThat(log).contains(config.toString()).contains("not valid JSON").contains("line 2");
    }

    @Test
    void should_refuse_to_start_with_a_wrongly_typed_key_naming_file_and_key() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"llamacpp\": {\"threads\": \"many\"}}");
        String log = runUntilExit(config);
        assertThat(log).contains("llamacpp.threads").contains("integer").contains("many").contains(config.toString());
    }

    private String runUntilExit(Path config) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("config.path", config.toString(),
                "infercore.llamacpp.load_on_start", "false"), List.of())) {
            assertThat(service.process().waitFor(60, TimeUnit.SECONDS)).as("the service must exit").isTrue();
            assertThat(service.process().exitValue()).isNotZero();
            String log = service.log();
            assertThat(log).doesNotContain("Listening on");
            return log;
        }
    }
}
