package io.infercore.metrics;

import io.infercore.support.FakeVllmResource;
import io.infercore.support.Scrape;
import io.infercore.support.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inference meters on {@code /q/metrics} and the {@code X-Infercore-Overhead-Ms} header,
 * against the embedded engine (stories260K) and a fake vLLM 0.11 server: every assertion compares
 * a scrape before and after the requests of the test, so the amounts are exact.
 */
@QuarkusTest
@WithTestResource(FakeVllmResource.class)
class InferenceMetricsTest {

    static final String GENERATE = "/api/v1/llm/generate";
    static final String CHAT = "/api/v1/llm/chat";

    @AfterEach
    void resetFake() {
        FakeVllmResource.vllm.resetKnobs();
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    /** Waits for the request meters (recorded when the response ends, which may trail the client by a moment). */
    static Scrape after(Supplier<Boolean> settled) {
        await().atMost(Duration.ofSeconds(20)).until(settled::get);
        return Scrape.now();
    }

    static double requests(String route, String engine, String model, int status) {
        return Scrape.now().sum("infercore_requests_total", "route", route, "engine", engine, "model", model,
                "status", Integer.toString(status));
    }

    @Test
    void should_count_a_generation_by_route_engine_model_status_with_exactly_its_tokens() {
        Scrape before = Scrape.now();
        double requestsBefore = requests(GENERATE, "llamacpp", "stories260k", 200);

        JsonPath reply = post(GENERATE, "{\"prompt\":\"Once upon a time\",\"max_tokens\":24}")
                .then().statusCode(200).extract().jsonPath();

        Scrape after = after(() -> requests(GENERATE, "llamacpp", "stories260k", 200) == requestsBefore + 1);
        Map<String, String> served = Map.of("engine", "llamacpp", "model", "stories260k");
        assertThat(after.sum("infercore_completion_tokens_total", served)
                - before.sum("infercore_completion_tokens_total", served))
                .isEqualTo(reply.getInt("data.usage.completion_tokens")).isPositive();
        assertThat(after.sum("infercore_prompt_tokens_total", served) - before.sum("infercore_prompt_tokens_total", served))
                .isEqualTo(reply.getInt("data.usage.prompt_tokens")).isPositive();
        assertThat(after.sum("infercore_tokens_per_second_count", served)
                - before.sum("infercore_tokens_per_second_count", served)).isEqualTo(1);
        Map<String, String> request = Map.of("route", GENERATE, "engine", "llamacpp", "model", "stories260k",
                "status", "200");
        assertThat(after.sum("infercore_request_duration_seconds_count", request)
                - before.sum("infercore_request_duration_seconds_count", request)).isEqualTo(1);
        assertThat(after.all("infercore_request_duration_seconds_bucket", request)).as(after.grep("request_duration"))
                .anyMatch(s -> s.labels().get("le").equals("+Inf"));
    }

    @Test
    void should_count_refused_requests_with_their_status_and_no_made_up_model_label() {
        double invalid = requests(GENERATE, "none", "none", 400);
        double malformed = requests("/v1/chat/completions", "none", "none", 400);
        double unknown = requests(GENERATE, "llamacpp", "none", 404);

        post(GENERATE, "{\"prompt\":\"hi\",\"temperature\":5}").then().statusCode(400);
        post("/v1/chat/completions", "{\"messages\":[").then().statusCode(400);
        post(GENERATE, "{\"prompt\":\"hi\",\"model_name\":\"made-up-model-4711\"}").then().statusCode(404);

        Scrape after = after(() -> requests(GENERATE, "llamacpp", "none", 404) == unknown + 1);
        assertThat(after.sum("infercore_requests_total", "route", GENERATE, "engine", "none", "model", "none",
                "status", "400")).isEqualTo(invalid + 1);
        assertThat(after.sum("infercore_requests_total", "route", "/v1/chat/completions", "engine", "none",
                "model", "none", "status", "400")).isEqualTo(malformed + 1);
        assertThat(after.text()).doesNotContain("made-up-model-4711");
    }

    @Test
    void should_time_the_first_token_and_each_following_token_of_a_stream() {
        Map<String, String> served = Map.of("engine", "llamacpp", "model", "stories260k");
        Scrape before = Scrape.now();
        double streamsBefore = requests(CHAT, "llamacpp", "stories260k", 200);

        Response response = post(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}],"
                + "\"max_tokens\":16,\"stream\":true}");

        response.then().statusCode(200);
        List<Sse.Event> events = Sse.parse(response.asString());
        long deltas = events.stream().filter(e -> "delta".equals(e.name())).count();
        JsonPath done = events.get(events.size() - 1).json();
        assertThat(deltas).isGreaterThan(1);
        Scrape after = after(() -> requests(CHAT, "llamacpp", "stories260k", 200) == streamsBefore + 1);
        assertThat(after.sum("infercore_time_to_first_token_seconds_count", served)
                - before.sum("infercore_time_to_first_token_seconds_count", served)).isEqualTo(1);
        assertThat(after.sum("infercore_inter_token_latency_seconds_count", served)
                - before.sum("infercore_inter_token_latency_seconds_count", served)).isEqualTo(deltas - 1);
        assertThat(after.sum("infercore_completion_tokens_total", served)
                - before.sum("infercore_completion_tokens_total", served)).isEqualTo(done.getInt("usage.completion_tokens"));
    }

    @Test
    void should_report_an_overhead_that_excludes_the_time_the_engine_took() {
        FakeVllmResource.vllm.setKnob("token_delay_ms", 100);
        Map<String, String> overhead = Map.of("route", "/v1/chat/completions", "engine", "vllm");
        double overheadsBefore = Scrape.now().sum("infercore_request_overhead_seconds_count", overhead);

        long started = System.nanoTime();
        Response response = post("/v1/chat/completions", "{\"model\":\"vllm/" + FakeVllmResource.MODEL + "\","
                + "\"max_tokens\":8,\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about a cat\"}]}");
        double elapsedMs = (System.nanoTime() - started) / 1e6;

        response.then().statusCode(200);
        assertThat(response.jsonPath().getInt("usage.completion_tokens")).isEqualTo(8);
        double reported = Double.parseDouble(response.header(RequestMetricsFilter.OVERHEAD_HEADER));
        // The fake waits 100 ms between its 8 tokens: at least 700 ms of the request are the engine's.
        assertThat(reported).isBetween(0.0, elapsedMs - 700);
        Scrape after = after(() -> Scrape.now().sum("infercore_request_overhead_seconds_count", overhead)
                == overheadsBefore + 1);
        assertThat(after.sum("infercore_requests_total", "route", "/v1/chat/completions", "engine", "vllm",
                "model", FakeVllmResource.MODEL, "status", "200")).isPositive();
    }

    @Test
    void should_send_the_overhead_header_on_streams_and_errors_too() {
        long started = System.nanoTime();
        Response stream = post(GENERATE, "{\"prompt\":\"Once upon a time\",\"max_tokens\":8,\"stream\":true}");
        double elapsedMs = (System.nanoTime() - started) / 1e6;
        stream.then().statusCode(200).contentType("text/event-stream");
        assertThat(Double.parseDouble(stream.header(RequestMetricsFilter.OVERHEAD_HEADER))).isBetween(0.0, elapsedMs);

        Response refused = post(CHAT, "{\"messages\":[]}");
        refused.then().statusCode(400);
        assertThat(Double.parseDouble(refused.header(RequestMetricsFilter.OVERHEAD_HEADER))).isNotNegative();

        assertThat(given().when().get("/health").header(RequestMetricsFilter.OVERHEAD_HEADER)).isNull();
    }

    @Test
    void should_count_embeddings_with_their_input_tokens() {
        Map<String, String> served = Map.of("engine", "llamacpp", "model", "all-minilm-l6-v2");
        Scrape before = Scrape.now();
        double embedsBefore = requests("/v1/embeddings", "llamacpp", "all-minilm-l6-v2", 200);

        JsonPath reply = post("/v1/embeddings", "{\"input\":[\"a cat\",\"a dog sat on the mat\"]}")
                .then().statusCode(200).extract().jsonPath();

        Scrape after = after(() -> requests("/v1/embeddings", "llamacpp", "all-minilm-l6-v2", 200) == embedsBefore + 1);
        assertThat(after.sum("infercore_prompt_tokens_total", served) - before.sum("infercore_prompt_tokens_total", served))
                .isEqualTo(reply.getInt("usage.prompt_tokens")).isPositive();
    }
    @Test
    void should_count_the_anthropic_and_responses_routes_under_their_own_route_label() {
        String cat = "[{\"role\":\"user\",\"content\":\"Once\"}]";
        Map<String, String> bodies = Map.of(
                "/v1/messages", "{\"model\":\"stories260k\",\"max_tokens\":3,\"messages\":" + cat + "}",
                "/v1/messages/count_tokens", "{\"model\":\"stories260k\",\"messages\":" + cat + "}",
                "/v1/responses", "{\"model\":\"stories260k\",\"max_output_tokens\":3,\"store\":false,\"input\":" + cat + "}");
        bodies.forEach((route, body) -> {
            double served = requests(route, "llamacpp", "stories260k", 200);
            double refused = requests(route, "none", "none", 404);
            post(route, body).then().statusCode(200);
            post(route, body.replace("stories260k", "no-such-model")).then().statusCode(404);
            after(() -> requests(route, "llamacpp", "stories260k", 200) == served + 1
                    && requests(route, "none", "none", 404) == refused + 1);
        });
    }
}
