package io.infercore.metrics;

import io.infercore.support.RawStream;
import io.infercore.support.Scrape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters that need long generations on the embedded engine (one llama.cpp slot, a long context):
 * {@code infercore_embedded_queue_depth} while requests wait for the slot, and a stream whose
 * client hangs up counted with status 499.
 */
@QuarkusTest
@TestProfile(EmbeddedEngineMetricsTest.OneSlotLongContext.class)
class EmbeddedEngineMetricsTest {

    public static class OneSlotLongContext implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("infercore.llamacpp.parallel", "1", "infercore.llamacpp.queue_size", "4",
                    "infercore.llamacpp.context_length", "4096");
        }
    }

    @TestHTTPResource("/")
    URL base;

    static double depth() {
        return Scrape.now().sum("infercore_embedded_queue_depth", "model", "stories260k");
    }

    @Test
    void should_show_requests_waiting_for_a_slot_of_the_embedded_model() {
        assertThat(Scrape.now().all("infercore_embedded_queue_depth", Map.of("model", "stories260k"))).hasSize(1);
        assertThat(depth()).isZero();

        List<CompletableFuture<Integer>> calls = java.util.stream.IntStream.range(0, 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                        .body("{\"prompt\":\"Once upon a time\",\"max_tokens\":1000,\"engine_args\":{\"ignore_eos\":true}}")
                        .when().post("/api/v1/llm/generate").statusCode()))
                .toList();

        // Three generations of 1,000 tokens on one slot (0.25 s each on an idle machine, longer on a
        // busy one): at least one waits while another runs.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> depth() >= 1);
        assertThat(calls.stream().map(CompletableFuture::join)).containsOnly(200);
        assertThat(depth()).isZero();
    }

    @Test
    void should_count_a_stream_whose_client_hung_up_as_499() throws Exception {
        String route = "/api/v1/llm/generate";
        double hungUp = Scrape.now().sum("infercore_requests_total", "route", route, "status", "499");
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":4000,\"stream\":true,"
                + "\"engine_args\":{\"ignore_eos\":true}}";
        String overhead;
        try (RawStream stream = RawStream.post(base, route, body)) {
            assertThat(stream.readUntil(line -> line.startsWith("event: delta"))).isEqualTo("event: delta");
            overhead = stream.header("X-Infercore-Overhead-Ms");
        }

        assertThat(Double.parseDouble(overhead)).isNotNegative();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape now = Scrape.now();
            assertThat(now.sum("infercore_requests_total", "route", route, "engine", "llamacpp", "model", "stories260k",
                    "status", "499")).as(now.grep("infercore_requests_total")).isEqualTo(hungUp + 1);
        });
    }
}
