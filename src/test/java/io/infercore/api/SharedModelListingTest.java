package io.infercore.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1} routes a plain model name with the engines' model lists (fake vLLM 0.11 and SGLang
 * 0.5 servers). A burst of requests that all need a listing asks the engines once, not once per
 * request: after the routing listing expires, hits are answered from it while one fresh listing
 * is fetched; names no listing has share the listing in flight. Before, every request arriving
 * while the engines were being asked started its own listing, which is what put each expiry into
 * the p99 at 2,000 req/s (docs/BENCHMARKS.md).
 */
@QuarkusTest
@WithTestResource(RemoteEnginesResource.class)
class SharedModelListingTest {

    private static final int BURST = 40;

    /** Until both the routing listing and the adapters' own model lists have expired. */
    private static void letListingsExpire() throws InterruptedException {
        Thread.sleep(Math.max(io.infercore.api.openai.ModelRouter.ROUTE_CACHE_TTL.toMillis(),
                io.infercore.engine.openai.OpenAiCompatibleEngine.MODELS_TTL.toMillis()) + 300);
    }

    private static long listings() {
        return RemoteEnginesResource.vllm.stats().path("requests").path("/v1/models").asLong();
    }

    /** {@code BURST} chats at once naming {@code model}; their statuses. */
    private static List<Integer> burst(String model) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return given().contentType("application/json").body("""
                            {"model":"%s","messages":[{"role":"user","content":"hi"}],"max_tokens":2}""".formatted(model))
                            .post("/v1/chat/completions").statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> reply : replies) {
                statuses.add(reply.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_answer_a_burst_after_expiry_from_the_listing_and_refresh_it_once() throws Exception {
        RemoteEnginesResource.vllm.awaitListening();
        assertThat(burst(RemoteEnginesResource.VLLM_MODEL)).containsOnly(200); // a listing exists now
        letListingsExpire();

        long before = listings();
        assertThat(burst(RemoteEnginesResource.VLLM_MODEL)).containsOnly(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> listings() > before);
        Thread.sleep(300); // a listing started late by a request of the burst would show by now
        assertThat(listings() - before).as("vLLM's /v1/models calls for %d requests after expiry", BURST).isEqualTo(1);
    }

    @Test
    void should_share_one_listing_among_requests_for_a_name_no_engine_lists() throws Exception {
        RemoteEnginesResource.vllm.awaitListening();
        letListingsExpire();
        long before = listings();

        assertThat(burst("no-such-model-anywhere")).containsOnly(404);

        assertThat(listings() - before).as("vLLM's /v1/models calls for %d requests naming an unknown model", BURST)
                .isLessThanOrEqualTo(2);
    }
}
