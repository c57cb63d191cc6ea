package io.infercore.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.support.CliProcess;
import io.infercore.support.ClientScripts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code ollama} Python library (PyPI, pinned in {@code scripts/client-sdks.sh},
 * unmodified) pointed at infercore's port: {@code src/test/clients/ollama_client.py} lists, shows,
 * chats and generates (streamed and not, sync and async), embeds (both routes), asks for
 * {@code format} json and a pydantic schema, and checks the errors the library raises.
 */
@QuarkusTest
class OllamaPythonClientTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void should_serve_the_official_ollama_python_client() throws Exception {
        String host = base.toString().replaceAll("/$", "");
        CliProcess.Result run = ClientScripts.run("ollama_client.py", host);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode facts = new ObjectMapper().readTree(ClientScripts.lastLine(run));
        assertThat(facts.path("ollama_version").asText()).isEqualTo("0.6.3");
        assertThat(facts.path("listed").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(facts.path("chat_stream_parts").asInt()).isGreaterThan(2);
        assertThat(facts.path("chat_text").asText()).isNotBlank();
        assertThat(facts.path("pet").path("happy").isBoolean()).isTrue();
        assertThat(facts.path("dimensions").asInt()).isEqualTo(384);
        assertThat(facts.path("not_found").asText()).startsWith("model 'no-such-model' not found");
    }
}
