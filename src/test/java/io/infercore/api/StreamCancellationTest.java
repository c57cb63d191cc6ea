package io.infercore.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.infercore.engine.llamacpp.LlamaCppEngine;
import io.quarkus.test.common.http.TestHTTPResource;
import io.infercore.support.LongGenerationProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/llm/generate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("event: delta")) {
                // skip the status line and headers until the first token arrives
            }
            assertThat(line).isEqualTo("event: delta");
        }
        await().atMost(Duration.ofSeconds(5))
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
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(engine.cancelledGenerations()).isEqualTo(cancelledBefore + 1));
        } finally {
            client.close();
        }
    }
}
