package io.infercore.api;

import io.infercore.engine.llamacpp.LlamaCppEngine;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that hangs up mid-stream stops the generation inside the engine. */
@QuarkusTest
class StreamCancellationTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    LlamaCppEngine engine;

    @Test
    void should_cancel_generation_in_the_engine_when_the_client_disconnects() throws Exception {
        long cancelledBefore = engine.cancelledGenerations();
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":480,\"stream\":true,"
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
}
