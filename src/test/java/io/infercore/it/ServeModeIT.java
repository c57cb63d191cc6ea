package io.infercore.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.support.CliProcess;
import io.infercore.support.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} as a daemon sees it: logs on stdout as one JSON object per line when asked, the
 * documented exit code after SIGTERM, and usage errors as exit code 2 before anything starts.
 */
class ServeModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_log_one_json_object_per_line_with_log_format_json_and_exit_143_on_sigterm() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("infercore.llamacpp.load_on_start", "false",
                "infercore.models_dir", "target/it-models"), List.of("serve", "--log-format", "json"))) {
            service.awaitReady(Duration.ofSeconds(60));
            service.process().destroy(); // SIGTERM
            assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).as(service.log()).isTrue();
            assertThat(service.process().exitValue()).as("128 + SIGTERM, after a clean stop").isEqualTo(143);

            List<JsonNode> records = new ArrayList<>();
            for (String line : service.log().lines().filter(l -> l.startsWith("{")).toList()) {
                records.add(JSON.readTree(line));
            }
            assertThat(records).as(service.log()).isNotEmpty();
            assertThat(records).allSatisfy(r -> assertThat(r.has("timestamp") && r.has("level") && r.has("message")).isTrue());
            assertThat(records).anySatisfy(r -> assertThat(r.path("message").asText()).contains("Listening on"));
            assertThat(records).anySatisfy(r -> assertThat(r.path("message").asText()).contains("stopped in"));
            assertThat(service.log().lines().filter(l -> l.contains("INFO  [io.quarkus]"))).as("no plain lines").isEmpty();
        }
    }

    @Test
    void should_log_plain_text_by_default() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("infercore.llamacpp.load_on_start", "false",
                "infercore.models_dir", "target/it-models"), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(60));
            assertThat(service.log()).containsPattern("INFO  \\[io.quarkus] \\(main\\) infercore .* Listening on")
                    .doesNotContain("{\"timestamp\"");
        }
    }

    @Test
    void should_exit_2_with_the_usage_on_a_bad_option() throws Exception {
        CliProcess.Result unknown = CliProcess.jar(Map.of(), List.of("serve", "--verbose"), Duration.ofSeconds(30));
        CliProcess.Result format = CliProcess.jar(Map.of(), List.of("serve", "--log-format", "xml"), Duration.ofSeconds(30));

        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown argument(s) [--verbose]").contains("usage: infercore [serve]")
                .contains("infercore check").contains("infercore api-test");
        assertThat(format.exitCode()).as(format.toString()).isEqualTo(2);
        assertThat(format.stderr()).contains("--log-format takes plain or json, got 'xml'");
    }
}
