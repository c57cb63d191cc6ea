package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** One slot and a queue of one: a burst gets 200s for what fits and clear 503s for the rest. */
@QuarkusTest
@TestProfile(QueueLimitTest.OneSlotOneQueued.class)
class QueueLimitTest {

    public static class OneSlotOneQueued implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("infercore.llamacpp.parallel", "1", "infercore.llamacpp.queue_size", "1");
        }
    }

    @Test
    void should_answer_503_with_a_clear_message_when_the_queue_is_full() throws Exception {
        int burst = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return given().contentType(ContentType.JSON)
                        .body("{\"prompt\":\"Once upon a time\",\"max_tokens\":480,\"engine_args\":{\"ignore_eos\":true}}")
                        .when().post("/api/v1/llm/generate");
            }));
        }
        start.countDown();
        List<Response> responses = calls.stream().map(CompletableFuture::join).toList();
        List<Response> refused = responses.stream().filter(r -> r.statusCode() == 503).toList();
        List<Response> served = responses.stream().filter(r -> r.statusCode() == 200).toList();

        assertThat(served.size() + refused.size()).isEqualTo(burst);
        assertThat(served).hasSizeGreaterThanOrEqualTo(2);
        assertThat(refused).isNotEmpty();
        for (Response r : refused) {
            ValidationTableTest.assertEnvelope(r, 503, "queue_size");
        }
    }
}
