package io.infercore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What api-test sends and how it shows answers, without a service. */
class ApiTestPlanTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_call_the_seed_sequence_then_embed_and_the_openai_chat_in_turn() {
        List<ApiTest.Call> calls = ApiTest.calls(null, null);

        assertThat(calls).extracting(c -> c.method() + " " + c.path()).containsExactly(
                "GET /api/v1/models", "GET /api/v1/models/running", "POST /api/v1/llm/generate", "POST /api/v1/llm/chat",
                "POST /api/v1/llm/structured-generate", "POST /api/v1/llm/embed", "POST /v1/chat/completions");
        assertThat(calls).filteredOn(ApiTest.Call::optional).extracting(ApiTest.Call::path)
                .containsExactly("/api/v1/models", "/api/v1/models/running");
        assertThat(calls.get(2).body().has("engine_type")).as("the service's defaults").isFalse();
        assertThat(calls.get(6).body().has("model")).isFalse();
    }

    @Test
    void should_address_the_chosen_engine_and_model_on_both_apis_but_embed_with_the_embedded_model() {
        List<ApiTest.Call> calls = ApiTest.calls("ollama", "llama3.2");

        for (ApiTest.Call call : calls.subList(2, 5)) {
            assertThat(call.body().path("engine_type").asText()).isEqualTo("ollama");
            assertThat(call.body().path("model_name").asText()).isEqualTo("llama3.2");
        }
        assertThat(calls.get(5).body().has("engine_type")).isFalse();
        assertThat(calls.get(6).body().path("model").asText()).isEqualTo("ollama/llama3.2");
        assertThat(ApiTest.calls(null, "llama3.2").get(6).body().path("model").asText()).isEqualTo("llama3.2");
    }

    @Test
    void should_show_vectors_as_their_length_and_the_openai_reply_as_its_content() throws Exception {
        JsonNode embed = JSON.readTree("{\"code\":200,\"data\":{\"embeddings\":[[0.1,0.2,0.3,0.4,0.5]],\"dimensions\":5}}");
        JsonNode chat = JSON.readTree("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"}}]}");

        assertThat(ApiTest.data(embed, false)).isEqualTo("{\"embeddings\":[\"[5 numbers]\"],\"dimensions\":5}");
        assertThat(ApiTest.data(chat, true)).isEqualTo("\"Hi there\"");
        assertThat(ApiTest.data(JSON.readTree("{\"data\":{\"text\":\"" + "y".repeat(300) + "\"}}"), false))
                .hasSize(ApiTest.DATA_CHARS).endsWith("...");
    }

    @Test
    void should_exit_2_on_a_bad_port_or_a_missing_value() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThat(ApiTest.run(new String[] {"--port", "99999"}, out, errors)).isEqualTo(2);
        assertThat(ApiTest.run(new String[] {"--host"}, out, errors)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port takes a port number, got '99999'")
                .contains("--host needs a value");
    }
}
