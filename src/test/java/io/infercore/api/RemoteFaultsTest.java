package io.infercore.api;

import io.infercore.support.RawStream;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.Sse;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults of a remote engine seen through the service, against the fake vLLM 0.11 and SGLang 0.5
 * servers: a client that hangs up mid-stream (SSE on /api/v1 and /v1, NDJSON on Ollama's /api)
 * has its upstream request cancelled within a second
 * (counted by the fake); an engine that answers garbage is a 502, in the stream an {@code error}
 * event; a streamed request to an engine that never sends a token ends with a 504 within the
 * configured first-token bound. (Hangs of plain requests and errors inside a stream are in
 * {@link RemoteEnginesApiTest}.)
 */
@QuarkusTest
@WithTestResource(RemoteEnginesResource.class)
class RemoteFaultsTest {

    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void resetFakes() {
        for (FakeEngineProcess fake : List.of(RemoteEnginesResource.vllm, RemoteEnginesResource.sglang)) {
            fake.awaitListening();
            fake.resetKnobs();
        }
    }

    static String chatBody(String engine, String extra) {
        return "{\"engine_type\":\"" + engine + "\",\"model_name\":\"" + RemoteEnginesResource.model(engine) + "\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about a cat\"}],\"temperature\":0" + extra + "}";
    }

    @ParameterizedTest
    @CsvSource({"vllm,/api/v1/llm/chat", "sglang,/api/v1/llm/chat", "vllm,/v1/chat/completions",
            "sglang,/v1/chat/completions", "vllm,/api/chat", "sglang,/api/generate"})
    void should_cancel_the_upstream_request_within_a_second_when_the_client_disconnects(String engine, String path)
            throws Exception {
        FakeEngineProcess fake = RemoteEnginesResource.fake(engine);
        fake.setKnobs(java.util.Map.of("token_delay_ms", 100));
        int cancelledBefore = fake.stats().path("cancelled").asInt();
        String body = path.equals("/api/chat") || path.equals("/api/generate")
                ? "{\"model\":\"" + engine + "/" + RemoteEnginesResource.model(engine) + "\","
                + (path.equals("/api/chat") ? "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about a cat\"}]"
                        : "\"prompt\":\"Tell me about a cat\"") + ",\"options\":{\"num_predict\":400}}"
                : path.startsWith("/v1/")
                ? "{\"model\":\"" + engine + "/" + RemoteEnginesResource.model(engine) + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Tell me about a cat\"}],\"max_tokens\":400,\"ignore_eos\":true,\"stream\":true}"
                : chatBody(engine, ",\"max_tokens\":400,\"stream\":true,\"engine_args\":{\"ignore_eos\":true}}")
                        .replace("}}}", "}}");
        long closedAt;
        try (RawStream stream = RawStream.post(base, path, body)) {
            int tokens = 0;
            while (tokens < 3 && stream.readUntil(line -> line.startsWith("event: delta")
                    || line.contains("\"content\":\"") || line.contains("\"response\":\"")) != null) {
                tokens++;
            }
            assertThat(tokens).as("tokens streamed before hanging up").isEqualTo(3);
            assertThat(fake.stats().path("in_flight").asInt()).isEqualTo(1);
            closedAt = System.nanoTime();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(fake.stats().path("cancelled").asInt()).isEqualTo(cancelledBefore + 1));
        assertThat((System.nanoTime() - closedAt) / 1_000_000).isLessThan(1_000);
        assertThat(fake.stats().path("in_flight").asInt()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_answer_502_when_the_engine_answers_garbage(String engine) {
        RemoteEnginesResource.fake(engine).setKnob("garbage", true);
        Response plain = post("/api/v1/llm/chat", chatBody(engine, ",\"max_tokens\":8"));
        assertThat(plain.statusCode()).as(plain.asString()).isEqualTo(502);
        assertThat(plain.jsonPath().getInt("code")).isEqualTo(502);
        assertThat(plain.jsonPath().getString("msg")).contains("not JSON");

        Response streamed = post("/api/v1/llm/chat", chatBody(engine, ",\"max_tokens\":8,\"stream\":true"));
        if (streamed.statusCode() == 200) {
            List<Sse.Event> events = Sse.parse(streamed.asString());
            assertThat(events).last().satisfies(e -> {
                assertThat(e.name()).isEqualTo("error");
                assertThat(e.json().getInt("code")).isEqualTo(502);
            });
        } else {
            assertThat(streamed.statusCode()).as(streamed.asString()).isEqualTo(502);
            assertThat(streamed.jsonPath().getInt("code")).isEqualTo(502);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_end_a_stream_whose_first_token_never_comes_with_504_within_the_bound(String engine) {
        RemoteEnginesResource.fake(engine).setKnob("first_token_delay_ms", 60_000);
        long started = System.nanoTime();
        Response streamed = post("/api/v1/llm/chat", chatBody(engine, ",\"max_tokens\":8,\"stream\":true"));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        String body = streamed.asString();
        if (streamed.statusCode() == 200) {
            List<Sse.Event> events = Sse.parse(body);
            assertThat(events).last().satisfies(e -> {
                assertThat(e.name()).isEqualTo("error");
                assertThat(e.json().getInt("code")).isEqualTo(504);
            });
        } else {
            assertThat(streamed.statusCode()).as(body).isEqualTo(504);
            assertThat(streamed.jsonPath().getString("msg")).contains("timeouts.first_token");
        }
        // first_token is 2s (RemoteEnginesResource); well under the fake's 60s delay
        assertThat(elapsedMs).isBetween(1_900L, 30_000L);
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }
}
