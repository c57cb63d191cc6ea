package io.infercore.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** engine_type + model name to live replicas, least busy first. */
class EndpointRegistryTest {

    @Test
    void should_lease_the_least_busy_replica_and_release_it_once() {
        EndpointRegistry registry = new EndpointRegistry();
        registry.register("vllm", "m", "http://a", "run-1", 0);
        registry.register("vllm", "m", "http://b", "run-1", 1);
        registry.register("vllm", "m", "http://a", "run-1", 0); // idempotent

        EndpointRegistry.Lease first = registry.acquire("vllm", "m").orElseThrow();
        EndpointRegistry.Lease second = registry.acquire("vllm", "m").orElseThrow();

        assertThat(first.baseUrl()).isNotEqualTo(second.baseUrl());
        assertThat(registry.inFlight("http://a") + registry.inFlight("http://b")).isEqualTo(2);
        first.close();
        first.close();
        assertThat(registry.inFlight(first.baseUrl())).isZero();
        assertThat(registry.acquire("vllm", "m").orElseThrow().baseUrl()).isEqualTo(first.baseUrl());
        assertThat(registry.endpoints("vllm", "m")).hasSize(2);
    }

    @Test
    void should_forget_replicas_that_are_marked_down_removed_or_whose_run_stopped() {
        EndpointRegistry registry = new EndpointRegistry();
        registry.register("sglang", "m", "http://a", "run-1", 0);
        registry.register("sglang", "m", "http://b", "run-1", 1);
        registry.register("sglang", "other", "http://c", "run-2", 0);

        registry.markDown(registry.acquire("sglang", "m").orElseThrow());
        assertThat(registry.endpoints("sglang", "m")).hasSize(1);
        registry.removeRun("run-1");

        assertThat(registry.acquire("sglang", "m")).isEmpty();
        assertThat(registry.baseUrl("vllm", "other")).isEmpty();
        assertThat(registry.baseUrl("sglang", "other")).contains("http://c");
    }
}
