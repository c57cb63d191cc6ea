package io.infercore.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per minute, per key: a token bucket holding at most a minute's worth of requests,
 * refilled continuously (so 60/min allows a burst of 60, then one a second). A refused request
 * learns how many whole seconds to wait for the next token ({@code Retry-After}).
 */
final class RateLimiter {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** 0 when {@code key} may make a request now (and it is counted), else the seconds to wait (at least 1). */
    long acquire(ApiKey key) {
        if (key.requestsPerMinute() == null) {
            return 0;
        }
        return buckets.computeIfAbsent(key.name(), n -> new Bucket(key.requestsPerMinute(), nanoClock.getAsLong()))
                .take(nanoClock.getAsLong());
    }

    private static final class Bucket {
        private final int capacity;
        private final double nanosPerToken;
        private double tokens;
        private long last;

        Bucket(int perMinute, long now) {
            this.capacity = perMinute;
            this.nanosPerToken = (double) MINUTE_NANOS / perMinute;
            this.tokens = perMinute;
            this.last = now;
        }

        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) / nanosPerToken);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double waitNanos = (1 - tokens) * nanosPerToken;
            return Math.max(1, (long) Math.ceil(waitNanos / 1e9));
        }
    }
}
