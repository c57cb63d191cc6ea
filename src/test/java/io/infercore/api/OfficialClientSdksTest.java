package io.infercore.api;

import io.infercore.api.openai.ToolEnginesResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Anthropic Messages and OpenAI Responses routes through the official Python SDKs from PyPI,
 * unmodified: {@code anthropic} and {@code openai} at the versions {@code scripts/client-sdks.sh}
 * pins, in a venv cached outside the clone. Each check is a function of a script under
 * {@code src/test/clients/}: plain and streamed replies, tools, structured output and errors.
 * Plain text comes from the embedded stories260K model; function calls from the fake vLLM 0.11
 * started with tool calling ({@link ToolEnginesResource}), as the embedded engine has none.
 */
@QuarkusTest
@WithTestResource(ToolEnginesResource.class)
class OfficialClientSdksTest {

    static final Path CLIENTS = Path.of("src/test/clients");
    static Path python;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void venv() throws Exception {
        Process setup = new ProcessBuilder("bash", "scripts/client-sdks.sh").redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(setup.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(setup.exitValue()).as("scripts/client-sdks.sh (needs python3 -m venv and PyPI)").isZero();
        List<String> lines = out.lines().toList();
        python = Path.of(lines.get(lines.size() - 1));
        assertThat(Files.isExecutable(python)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"message", "stream", "count_tokens", "tools", "structured", "errors"})
    void should_serve_the_anthropic_python_sdk(String check) throws Exception {
        run("anthropic_sdk.py", check);
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "stream", "store", "tools", "structured", "errors"})
    void should_serve_the_openai_python_sdks_responses_api(String check) throws Exception {
        run("openai_responses_sdk.py", check);
    }

    private void run(String script, String check) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(python.toString(), CLIENTS.resolve(script).toString(), check)
                .redirectErrorStream(true);
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        builder.environment().put("INFERCORE_URL", root);
        builder.environment().put("MODEL", "stories260k");
        builder.environment().put("TOOL_MODEL", ToolEnginesResource.VLLM_MODEL);
        builder.environment().remove("OPENAI_BASE_URL");
        builder.environment().remove("ANTHROPIC_BASE_URL");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as(output).isTrue();
        assertThat(process.exitValue()).as(script + " " + check + ":\n" + output).isZero();
        assertThat(output).contains("ok " + check);
    }
}
