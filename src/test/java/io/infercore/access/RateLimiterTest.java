package io.infercore.access;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(now::get);

    @Test
    void should_allow_a_minutes_burst_then_ask_to_wait_until_the_next_request_is_earned() {
        ApiKey key = new ApiKey("k", new byte[32], Set.of(), 3);
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).as("3/min: one request every 20 s").isEqualTo(20);
        now.addAndGet(15_000_000_000L);
        assertThat(limiter.acquire(key)).isEqualTo(5);
        now.addAndGet(5_000_000_000L);
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isEqualTo(20);
    }

    @Test
    void should_count_each_key_apart_and_never_limit_a_key_without_a_rate() {
        ApiKey a = new ApiKey("a", new byte[32], Set.of(), 1);
        ApiKey b = new ApiKey("b", new byte[32], Set.of(), 1);
        ApiKey free = new ApiKey("free", new byte[32], Set.of(), null);
        assertThat(limiter.acquire(a)).isZero();
        assertThat(limiter.acquire(a)).isEqualTo(60);
        assertThat(limiter.acquire(b)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire(free)).isZero();
        }
    }
}
