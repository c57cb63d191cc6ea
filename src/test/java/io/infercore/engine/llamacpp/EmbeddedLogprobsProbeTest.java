package io.infercore.engine.llamacpp;

import io.infercore.support.NProbsProbe;
import io.infercore.support.TestModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the embedded engine refuses {@code logprobs} (see {@link LlamaCppEngine#capabilities}): asking
 * de.kherud:llama 4.2.0 for token probabilities ({@code n_probs}) aborts the process in native
 * code. Proven in a child JVM ({@link NProbsProbe}), so the test run survives it. When a binding
 * upgrade makes this test fail, the binding hands probabilities over: give the embedded engine
 * {@code Capability.LOGPROBS} (ln of the probabilities) and delete this test.
 */
class EmbeddedLogprobsProbeTest {

    @Test
    void should_still_abort_the_process_when_the_binding_is_asked_for_token_probabilities()
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-XX:-CreateCoredumpOnCrash",
                "-cp", System.getProperty("java.class.path"), NProbsProbe.class.getName(), TestModel.pathString()))
                .redirectErrorStream(true);
        builder.environment().put("GGML_NO_BACKTRACE", "1");
        Process probe = builder.start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as("the binding gave probabilities: the embedded engine can offer logprobs now")
                .doesNotContain("n_probs completed");
        assertThat(probe.exitValue()).as(output).isNotZero();
        assertThat(output).contains("GGML_ASSERT");
    }
}
