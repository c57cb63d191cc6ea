package io.infercore.it;

import io.infercore.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service started over a corrupt run state file (what a disk-full or hand edit
 * leaves): it starts, says so in its log naming the backup, and keeps the bytes in that backup;
 * nothing is dropped silently. The same rule at the component level is in ReadoptionTest.
 */
class CorruptStateIT {

    @TempDir
    Path models;

    @Test
    void should_start_report_the_corrupt_state_file_and_keep_it_as_a_backup() throws Exception {
        String corrupt = "{\"version\":1,\"runs\":[{\"run_id\":\"vllm-1\",\"status\":";
        Files.createDirectories(models.resolve("runs"));
        Files.writeString(models.resolve("runs/state.json"), corrupt);

        try (ServiceProcess service = ServiceProcess.start(Map.of("infercore.models_dir", models.toString(),
                "infercore.llamacpp.load_on_start", "false"), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(60));
            Path backup;
            try (Stream<Path> files = Files.list(models.resolve("runs"))) {
                backup = files.filter(p -> p.getFileName().toString().startsWith("state.json.corrupt-")).findFirst()
                        .orElseThrow();
            }
            assertThat(Files.readString(backup)).isEqualTo(corrupt);
            assertThat(service.log()).contains("is corrupt").contains("kept as " + backup);
        }
    }
}
