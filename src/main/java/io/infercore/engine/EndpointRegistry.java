package io.infercore.engine;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the models the supervisor runs are served: {@code engine_type} + served model name → the
 * base URLs of its live replicas, each with a count of requests in flight. The supervisor
 * registers a replica when it becomes ready and removes it the moment it stops, crashes or turns
 * unhealthy, so a lookup only ever returns replicas that answered their last health check.
 *
 * <p>Remote adapters use it before their configured {@code base_url}:
 * <pre>{@code
 * try (EndpointRegistry.Lease lease = registry.acquire("vllm", servedName).orElse(null)) {
 *     String url = lease != null ? lease.baseUrl() : configuredBaseUrl;
 *     ... send the request to url; on a refused connection call registry.markDown(lease) ...
 * }
 * }</pre>
 * A lease counts the request as in flight on that replica until closed (close it when the
 * stream ends), which is what makes {@link #acquire} pick the least-busy replica.
 */
@ApplicationScoped
public class EndpointRegistry {

    /** One live replica of a run. */
    public record Endpoint(String engineType, String model, String baseUrl, String runId, int replica) {
    }

    private record Entry(Endpoint endpoint, AtomicInteger inFlight) {
    }

    private final Map<String, List<Entry>> byModel = new ConcurrentHashMap<>();
    /** Base URLs a request found dead ({@link #markDown}) and no one has registered since. */
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private volatile int affinityChars;
    private volatile int affinitySlack;

    /** A request in flight on one replica; {@link #close()} (idempotent) ends it. */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public String baseUrl() {
            return entry.endpoint().baseUrl();
        }

        public Endpoint endpoint() {
            return entry.endpoint();
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                entry.inFlight().decrementAndGet();
            }
        }
    }

    /** Adds (or keeps) a live replica (back from {@link #markDown}); registering the same base URL again is a no-op. */
    public void register(String engineType, String model, String baseUrl, String runId, int replica) {
        down.remove(baseUrl);
        List<Entry> entries = byModel.computeIfAbsent(key(engineType, model), k -> new CopyOnWriteArrayList<>());
        synchronized (entries) {
            if (entries.stream().noneMatch(e -> e.endpoint().baseUrl().equals(baseUrl))) {
                entries.add(new Entry(new Endpoint(engineType, model, baseUrl, runId, replica), new AtomicInteger()));
            }
        }
    }

    /** Removes one replica (stopped, crashed or unhealthy). */
    public void remove(String engineType, String model, String baseUrl) {
        List<Entry> entries = byModel.get(key(engineType, model));
        if (entries != null) {
            entries.removeIf(e -> e.endpoint().baseUrl().equals(baseUrl));
        }
    }

    /** Removes every replica of a run. */
    public void removeRun(String runId) {
        byModel.values().forEach(entries -> entries.removeIf(e -> e.endpoint().runId().equals(runId)));
    }

    /**
     * Passive failover: an adapter that could not connect to the leased replica takes it out of
     * rotation at once; the supervisor puts it back when it registers it again (the process
     * backend after its next successful health check, the Kubernetes backend once the watch shows
     * the replica's Pod changed, see {@link #isDown}).
     */
    public void markDown(Lease lease) {
        Endpoint e = lease.endpoint();
        remove(e.engineType(), e.model(), e.baseUrl());
        down.add(e.baseUrl());
    }

    /** Whether a request found {@code baseUrl} dead ({@link #markDown}) and no one has registered it since. */
    public boolean isDown(String baseUrl) {
        return down.contains(baseUrl);
    }

    /**
     * Turns on prefix affinity ({@code supervisor.prefix_affinity_chars}): see {@link #acquire(String, String, CharSequence)}.
     *
     * @param chars how many leading prompt characters pick the replica; 0 turns it off
     * @param slack how many more requests in flight than the least-busy replica the picked one may have
     */
    public void prefixAffinity(int chars, int slack) {
        this.affinitySlack = Math.max(0, slack);
        this.affinityChars = Math.max(0, chars);
    }

    /** Leading prompt characters that pick a replica; 0 when prefix affinity is off. */
    public int prefixAffinityChars() {
        return affinityChars;
    }

    /** The least-busy live replica serving {@code model} on {@code engineType}, counted as in flight until closed. */
    public Optional<Lease> acquire(String engineType, String model) {
        return acquire(engineType, model, null);
    }

    /**
     * A replica for a request whose prompt starts with {@code prompt}, counted as in flight until
     * closed. With prefix affinity on, the first {@link #prefixAffinityChars()} characters choose
     * one replica by rendezvous hashing (the same prefix, the same replica; a replica that comes or
     * goes moves only its own share), so requests sharing a long prefix reuse that replica's
     * prefix (KV) cache; it is taken while it has at most {@code slack} requests in flight more
     * than the least-busy replica, else the least-busy one is. Off, or without a prompt: least-busy.
     */
    public Optional<Lease> acquire(String engineType, String model, CharSequence prompt) {
        List<Entry> entries = byModel.get(key(engineType, model));
        if (entries == null || entries.isEmpty()) {
            return Optional.empty();
        }
        int chars = affinityChars;
        synchronized (entries) {
            Entry least = entries.stream().min(Comparator.comparingInt(e -> e.inFlight().get())).orElse(null);
            if (least == null) {
                return Optional.empty();
            }
            Entry chosen = least;
            if (chars > 0 && prompt != null && prompt.length() > 0 && entries.size() > 1) {
                long prefix = fnv(prompt, Math.min(chars, prompt.length()));
                Entry preferred = least;
                long best = Long.MIN_VALUE;
                for (Entry e : entries) {
                    long weight = mix(prefix ^ fnv(e.endpoint().baseUrl(), e.endpoint().baseUrl().length()));
                    if (weight > best || (weight == best && e == least)) {
                        best = weight;
                        preferred = e;
                    }
                }
                if (preferred.inFlight().get() <= least.inFlight().get() + affinitySlack) {
                    chosen = preferred;
                }
            }
            chosen.inFlight().incrementAndGet();
            return Optional.of(new Lease(chosen));
        }
    }

    /** 64-bit FNV-1a of the first {@code n} characters. */
    private static long fnv(CharSequence s, int n) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < n; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: spreads the combined hash so each replica's weight is independent. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The base URL {@link #acquire} would pick, without counting a request (for probes and one-off calls). */
    public Optional<String> baseUrl(String engineType, String model) {
        List<Entry> entries = byModel.get(key(engineType, model));
        if (entries == null) {
            return Optional.empty();
        }
        return entries.stream().min(Comparator.comparingInt(e -> e.inFlight().get())).map(e -> e.endpoint().baseUrl());
    }

    /** The live replicas of {@code model} on {@code engineType}. */
    public List<Endpoint> endpoints(String engineType, String model) {
        List<Entry> entries = byModel.get(key(engineType, model));
        return entries == null ? List.of() : entries.stream().map(Entry::endpoint).toList();
    }

    /** Requests in flight on {@code baseUrl} (0 when unknown). */
    public int inFlight(String baseUrl) {
        return byModel.values().stream().flatMap(List::stream).filter(e -> e.endpoint().baseUrl().equals(baseUrl))
                .mapToInt(e -> e.inFlight().get()).sum();
    }

    private static String key(String engineType, String model) {
        return engineType + '\u0000' + model;
    }
}
