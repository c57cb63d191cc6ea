package io.infercore.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.infercore.engine.llamacpp.LlamaCppEngine;
import io.quarkus.test.common.http.TestHTTPResource;
import io.infercore.support.RawStream;
import io.infercore.support.LongGenerationProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Iterator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that hangs up mid-stream stops the generation inside the engine. */
@QuarkusTest
@TestProfile(LongGenerationProfile.class)
class StreamCancellationTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    LlamaCppEngine engine;

    @Test
    void should_cancel_generation_in_the_engine_when_the_client_disconnects() throws Exception {
        long cancelledBefore = engine.cancelledGenerations();
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":" + LongGenerationProfile.LONG_GENERATION + ",\"stream\":true,"
                + "\"engine_args\":{\"ignore_eos\":true}}";
        try (RawStream stream = RawStream.post(base, "/api/v1/llm/generate", body)) {
            // the status line and headers are skipped until the first token arrives; then hang up
            assertThat(stream.readUntil(line -> line.startsWith("event: delta"))).isEqualTo("event: delta");
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(engine.cancelledGenerations()).isEqualTo(cancelledBefore + 1));

        // The slot is free again: a new request is served at once.
        given().contentType(ContentType.JSON).body("{\"prompt\":\"Once upon a time\",\"max_tokens\":4}")
                .when().post("/api/v1/llm/generate").then().statusCode(200);
    }

    @Test
    void should_cancel_generation_when_an_openai_sdk_client_closes_its_stream() {
        long cancelledBefore = engine.cancelledGenerations();
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base + "v1").apiKey("not-needed")
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
        try {
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("stories260k")
                    .addUserMessage("Tell me about a cat").maxCompletionTokens(LongGenerationProfile.LONG_GENERATION)
                    .temperature(0.0).putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build();
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
                assertThat(chunks.next().choices().get(0).delta().role()).isPresent();
                assertThat(chunks.next().choices().get(0).delta().content()).isPresent();
            }
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(engine.cancelledGenerations()).isEqualTo(cancelledBefore + 1));
        } finally {
            client.close();
        }
    }
    @Test
    void should_cancel_generation_when_an_anthropic_stream_is_hung_up() throws Exception {
        long cancelledBefore = engine.cancelledGenerations();
        String body = "{\"model\":\"stories260k\",\"max_tokens\":" + LongGenerationProfile.LONG_GENERATION
                + ",\"stream\":true,\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}]}";
        try (RawStream stream = RawStream.post(base, "/v1/messages", body)) {
            assertThat(stream.readUntil(line -> line.contains("\"text_delta\""))).contains("text_delta");
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(engine.cancelledGenerations()).isEqualTo(cancelledBefore + 1));
    }

    @Test
    void should_cancel_generation_when_a_responses_stream_is_hung_up() throws Exception {
        long cancelledBefore = engine.cancelledGenerations();
        String body = "{\"model\":\"stories260k\",\"max_output_tokens\":" + LongGenerationProfile.LONG_GENERATION
                + ",\"stream\":true,\"ignore_eos\":true,\"store\":false,\"input\":\"Once\"}";
        try (RawStream stream = RawStream.post(base, "/v1/responses", body)) {
            assertThat(stream.readUntil(line -> line.startsWith("event: response.output_text.delta")))
                    .isEqualTo("event: response.output_text.delta");
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(engine.cancelledGenerations()).isEqualTo(cancelledBefore + 1));
    }
}
