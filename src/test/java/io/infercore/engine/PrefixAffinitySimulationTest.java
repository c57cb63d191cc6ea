package io.infercore.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least-busy against prefix-affinity routing, measured on a simulation: the real
 * {@link EndpointRegistry} picks the replica of every request, and a fake engine per replica
 * models automatic prefix caching as vLLM does it (the prompt in fixed blocks, each block keyed by
 * its content and everything before it, a hit being the longest run of leading blocks the replica
 * holds, an LRU of a fixed number of blocks). Time is virtual (an event queue): a request's
 * service time is a fixed decode time plus prefill time per uncached character, stretched by
 * {@value #CONTENTION} for every request already in flight on its replica (batching shares the
 * GPU), so cache hits shorten requests and piling onto one replica lengthens them; requests hold
 * their lease (count in flight) until they end.
 *
 * <p>The workload: {@value #TENANTS} system prompts of {@value #SYSTEM_CHARS} characters with
 * Zipf popularity (a few hot, a long tail), each request one of them plus a unique user message,
 * Poisson arrivals onto {@value #REPLICAS} replicas whose caches hold about a quarter of the
 * system prompts each. Deterministic (seeded). Run alone: {@code ./mvnw test -Dtest=PrefixAffinitySimulationTest}.
 */
class PrefixAffinitySimulationTest {

    static final int REPLICAS = 4;
    static final int TENANTS = 32;
    static final int SYSTEM_CHARS = 2048;
    static final int USER_CHARS = 256;
    static final int BLOCK_CHARS = 64;
    /** Per replica: 10 system prompts' worth of blocks (plus their user messages' share). */
    static final int CACHE_BLOCKS = 10 * (SYSTEM_CHARS + USER_CHARS) / BLOCK_CHARS;
    static final int REQUESTS = 20_000;
    static final double ARRIVALS_PER_SECOND = 8;
    static final double DECODE_MS = 2_000;
    static final double PREFILL_MS_PER_CHAR = 0.5;
    /** A batch shares the GPU: each request already in flight on the replica slows a new one by this fraction. */
    static final double CONTENTION = 0.1;
    static final int AFFINITY_CHARS = 512;
    /** {@code supervisor.prefix_affinity_slack}'s default: the best mean and p95 latency of the sweep below. */
    static final int AFFINITY_SLACK = 4;

    record Result(String policy, double hitRate, double meanMs, double p95Ms, double maxShare) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-16s prefix-cache hit rate %.3f, mean latency %.0f ms, p95 %.0f ms, "
                    + "busiest replica %.1f%% of requests", policy, hitRate, meanMs, p95Ms, 100 * maxShare);
        }
    }

    @Test
    void prefix_affinity_reuses_the_prefix_cache_more_than_least_busy_without_piling_onto_one_replica() {
        Result leastBusy = simulate(0, 0);
        Result affinity = simulate(AFFINITY_CHARS, AFFINITY_SLACK);
        double ratio = affinity.hitRate() / leastBusy.hitRate();
        System.out.println(leastBusy);
        System.out.println(affinity);
        System.out.printf(Locale.ROOT, "prefix-cache hit rate ratio (prefix-affinity / least-busy): %.2f%n", ratio);
        Result unbounded = null;
        for (int slack : new int[] {0, 1, 2, 4, 8, 1000}) {
            Result r = simulate(AFFINITY_CHARS, slack);
            System.out.printf(Locale.ROOT, "  slack %4d: %s, ratio %.2f%n", slack, r, r.hitRate() / leastBusy.hitRate());
            unbounded = r;
        }

        assertThat(ratio).isGreaterThan(1.3);
        assertThat(affinity.meanMs()).isLessThan(leastBusy.meanMs());
        assertThat(affinity.p95Ms()).isLessThan(leastBusy.p95Ms());
        assertThat(affinity.maxShare()).isLessThan(0.35);
        // Without the slack the hot system prompts pile onto their replicas: more hits, slower requests.
        assertThat(unbounded.hitRate()).isGreaterThan(affinity.hitRate());
        assertThat(unbounded.p95Ms()).isGreaterThan(leastBusy.p95Ms());
    }

    /** One run of the workload; {@code affinityChars} 0 is least-busy. */
    static Result simulate(int affinityChars, int slack) {
        EndpointRegistry registry = new EndpointRegistry();
        registry.prefixAffinity(affinityChars, slack);
        Map<String, FakePrefixCache> engines = new LinkedHashMap<>();
        for (int i = 0; i < REPLICAS; i++) {
            String url = "http://replica-" + i + ":8000";
            registry.register("vllm", "m", url, "run", i);
            engines.put(url, new FakePrefixCache(CACHE_BLOCKS));
        }
        Random random = new Random(42);
        List<String> systems = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            systems.add(text(random, SYSTEM_CHARS));
        }
        double[] zipf = zipfCumulative(TENANTS, 1.0);

        record Done(double at, EndpointRegistry.Lease lease) {
        }
        PriorityQueue<Done> running = new PriorityQueue<>((x, y) -> Double.compare(x.at(), y.at()));
        Map<String, Integer> served = new LinkedHashMap<>();
        double now = 0;
        long promptChars = 0;
        long cachedChars = 0;
        double[] latencies = new double[REQUESTS];
        for (int n = 0; n < REQUESTS; n++) {
            now += -Math.log(1 - random.nextDouble()) / ARRIVALS_PER_SECOND * 1000;
            while (!running.isEmpty() && running.peek().at() <= now) {
                running.poll().lease().close();
            }
            String prompt = systems.get(pick(zipf, random.nextDouble())) + text(random, USER_CHARS);
            EndpointRegistry.Lease lease = registry.acquire("vllm", "m", prompt).orElseThrow();
            int cached = engines.get(lease.baseUrl()).serve(prompt);
            promptChars += prompt.length();
            cachedChars += cached;
            int sharing = registry.inFlight(lease.baseUrl()) - 1;
            latencies[n] = (DECODE_MS + PREFILL_MS_PER_CHAR * (prompt.length() - cached)) * (1 + CONTENTION * sharing);
            running.add(new Done(now + latencies[n], lease));
            served.merge(lease.baseUrl(), 1, Integer::sum);
        }
        java.util.Arrays.sort(latencies);
        double mean = java.util.Arrays.stream(latencies).average().orElse(0);
        double busiest = served.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) REQUESTS;
        return new Result(affinityChars == 0 ? "least-busy" : "prefix-affinity", cachedChars / (double) promptChars,
                mean, latencies[(int) (REQUESTS * 0.95)], busiest);
    }

    /**
     * A fake engine's automatic prefix cache (vLLM's model of it): the prompt in blocks of
     * {@value #BLOCK_CHARS} characters, a block's key covering it and every block before it, a
     * hit the longest run of leading blocks held; every block of a served prompt is then held,
     * the least recently used ones evicted past the capacity.
     */
    static final class FakePrefixCache {
        private final int capacity;
        private final LinkedHashMap<Long, Boolean> blocks = new LinkedHashMap<>(16, 0.75f, true);

        FakePrefixCache(int capacity) {
            this.capacity = capacity;
        }

        /** Serves {@code prompt}; returns how many of its characters came from the cache. */
        int serve(String prompt) {
            int full = prompt.length() / BLOCK_CHARS;
            long key = 17;
            int hits = 0;
            boolean hitting = true;
            for (int b = 0; b < full; b++) {
                key = key * 1_000_003L + prompt.substring(b * BLOCK_CHARS, (b + 1) * BLOCK_CHARS).hashCode();
                if (hitting && blocks.get(key) != null) {
                    hits++;
                } else {
                    hitting = false;
                    blocks.put(key, Boolean.TRUE);
                }
            }
            while (blocks.size() > capacity) {
                blocks.remove(blocks.keySet().iterator().next());
            }
            return hits * BLOCK_CHARS;
        }
    }

    private static String text(Random random, int chars) {
        StringBuilder s = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    private static double[] zipfCumulative(int n, double exponent) {
        double[] c = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1 / Math.pow(k, exponent);
            c[k - 1] = sum;
        }
        for (int k = 0; k < n; k++) {
            c[k] /= sum;
        }
        return c;
    }

    private static int pick(double[] cumulative, double u) {
        for (int k = 0; k < cumulative.length; k++) {
            if (u <= cumulative[k]) {
                return k;
            }
        }
        return cumulative.length - 1;
    }
}
