package io.infercore.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Prefix affinity in {@link EndpointRegistry#acquire(String, String, CharSequence)}. */
class EndpointRegistryAffinityTest {

    private static final String SYSTEM = "You are a support agent for ACME. ".repeat(20);

    private static EndpointRegistry registry(int replicas, int chars, int slack) {
        EndpointRegistry r = new EndpointRegistry();
        r.prefixAffinity(chars, slack);
        for (int i = 0; i < replicas; i++) {
            r.register("vllm", "m", "http://10.0.0." + (i + 1) + ":8000", "run", i);
        }
        return r;
    }

    @Test
    void should_send_prompts_sharing_their_prefix_to_one_replica_while_it_is_not_overloaded() {
        EndpointRegistry r = registry(4, 256, 2);
        String first = r.acquire("vllm", "m", SYSTEM + "question 1").orElseThrow().baseUrl();
        // Leases closed at once: nothing in flight, the prefix alone decides.
        for (int i = 2; i < 50; i++) {
            EndpointRegistry.Lease lease = r.acquire("vllm", "m", SYSTEM + "question " + i).orElseThrow();
            assertThat(lease.baseUrl()).isEqualTo(first);
            lease.close();
        }
    }

    @Test
    void should_spread_different_prefixes_over_the_replicas() {
        EndpointRegistry r = registry(4, 64, 2);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            EndpointRegistry.Lease lease = r.acquire("vllm", "m", "tenant " + i + " " + SYSTEM).orElseThrow();
            used.add(lease.baseUrl());
            lease.close();
        }
        assertThat(used).hasSize(4);
    }

    @Test
    void should_fall_back_to_the_least_busy_replica_past_the_slack() {
        EndpointRegistry r = registry(2, 256, 2);
        List<EndpointRegistry.Lease> held = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            EndpointRegistry.Lease lease = r.acquire("vllm", "m", SYSTEM + i).orElseThrow();
            held.add(lease);
            counts.merge(lease.baseUrl(), 1, Integer::sum);
        }
        // Preferred replica up to 2 ahead of the other, then alternating: 5 and 3.
        assertThat(counts.values()).containsExactlyInAnyOrder(5, 3);
        held.forEach(EndpointRegistry.Lease::close);
    }

    @Test
    void should_be_least_busy_when_off_or_without_a_prompt() {
        for (EndpointRegistry r : List.of(registry(2, 0, 2), registry(2, 256, 2))) {
            EndpointRegistry.Lease a = r.acquire("vllm", "m", r.prefixAffinityChars() == 0 ? SYSTEM : null).orElseThrow();
            EndpointRegistry.Lease b = r.acquire("vllm", "m", r.prefixAffinityChars() == 0 ? SYSTEM : null).orElseThrow();
            assertThat(a.baseUrl()).isNotEqualTo(b.baseUrl());
        }
    }

    @Test
    void should_move_only_the_prefixes_of_a_replica_that_goes() {
        EndpointRegistry r = registry(4, 64, 100);
        Map<Integer, String> before = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            EndpointRegistry.Lease lease = r.acquire("vllm", "m", "tenant " + i + " " + SYSTEM).orElseThrow();
            before.put(i, lease.baseUrl());
            lease.close();
        }
        r.remove("vllm", "m", "http://10.0.0.4:8000");
        for (int i = 0; i < 200; i++) {
            EndpointRegistry.Lease lease = r.acquire("vllm", "m", "tenant " + i + " " + SYSTEM).orElseThrow();
            if (!before.get(i).equals("http://10.0.0.4:8000")) {
                assertThat(lease.baseUrl()).as("tenant %d stays where its cache is", i).isEqualTo(before.get(i));
            }
            lease.close();
        }
    }
}
