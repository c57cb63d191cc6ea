package io.infercore.engine.openai;

import io.infercore.engine.ChatMessage;
import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.vllm.VllmEngine;
import io.infercore.support.JvmFakeVllm;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request to a replica whose engine has just died (its Pod is gone, the watch has not said so
 * yet): two real HTTP servers (JVM fakes of vLLM 0.11) registered as the replicas of one run, one
 * of them closed, so connecting to it is refused. The request is retried once on the live replica
 * and the dead one is marked down; a stream that already delivered events is not retried.
 */
class ReplicaRetryTest {

    private static final String MODEL = "Qwen/Qwen2-0.5B-Instruct";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<JvmFakeVllm> servers = new ArrayList<>();
    private final EndpointRegistry registry = new EndpointRegistry();

    @AfterEach
    void stop() {
        servers.forEach(JvmFakeVllm::close);
    }

    private JvmFakeVllm server(long tokenDelayMs) throws Exception {
        JvmFakeVllm s = JvmFakeVllm.start(MODEL, tokenDelayMs);
        servers.add(s);
        return s;
    }

    private VllmEngine engine() {
        // No configured base URL: only the registered replicas serve. A first-token timeout far above a
        // cold JVM's first call on a loaded machine, so only the connections decide.
        VllmEngine engine = VllmEngine.at(new RemoteEndpoint(VllmEngine.TYPE, null, null, Duration.ofSeconds(2),
                WAIT, WAIT.multipliedBy(2)), Map.of());
        ((OpenAiCompatibleEngine) engine).registry = registry; // as CDI injects it
        return engine;
    }

    private static GenerationRequest chat(int maxTokens) {
        return new GenerationRequest(MODEL, null, List.of(new ChatMessage("user", "hi")),
                new SamplingParams(maxTokens, 0.0, null, List.of(), null), null, Map.of(), null);
    }

    @Test
    void should_retry_a_refused_request_once_on_another_replica_and_mark_the_dead_one_down() throws Exception {
        JvmFakeVllm dead = server(1);
        String deadUrl = dead.baseUrl();
        dead.close(); // its port now refuses connections
        JvmFakeVllm live = server(1);
        // The dead replica first: with nothing in flight, the registry picks the first one registered.
        registry.register(VllmEngine.TYPE, MODEL, deadUrl, "vllm-run", 0);
        registry.register(VllmEngine.TYPE, MODEL, live.baseUrl(), "vllm-run", 1);
        VllmEngine engine = engine();

        List<StreamEvent> events = engine.stream(chat(3)).collect().asList().await().atMost(WAIT);

        assertThat(events).isNotEmpty();
        assertThat(live.streamsCompleted()).isEqualTo(1);
        assertThat(registry.endpoints(VllmEngine.TYPE, MODEL)).extracting(EndpointRegistry.Endpoint::baseUrl)
                .containsExactly(live.baseUrl());
        assertThat(registry.isDown(deadUrl)).isTrue();
        assertThat(registry.inFlight(live.baseUrl())).as("every lease closed").isZero();

        // Registered again (the supervisor saw it come back): it routes again, and is no longer down.
        registry.register(VllmEngine.TYPE, MODEL, deadUrl, "vllm-run", 0);
        assertThat(registry.isDown(deadUrl)).isFalse();
    }

    @Test
    void should_fail_when_the_only_replica_refuses_and_none_is_left_to_retry_on() throws Exception {
        JvmFakeVllm dead = server(1);
        String deadUrl = dead.baseUrl();
        dead.close();
        JvmFakeVllm otherDead = server(1);
        String otherUrl = otherDead.baseUrl();
        otherDead.close();
        registry.register(VllmEngine.TYPE, MODEL, deadUrl, "vllm-run", 0);
        registry.register(VllmEngine.TYPE, MODEL, otherUrl, "vllm-run", 1);

        AssertSubscriber<StreamEvent> sub = engine().stream(chat(3)).subscribe().withSubscriber(AssertSubscriber.create(100));
        Throwable failure = sub.awaitFailure(WAIT).getFailure();

        assertThat(failure).hasMessageContaining("not reachable at " + otherUrl);
        assertThat(registry.isDown(deadUrl)).isTrue();
        assertThat(registry.isDown(otherUrl)).as("the retry's replica refused too: down, and no further retry").isTrue();
        assertThat(registry.endpoints(VllmEngine.TYPE, MODEL)).isEmpty();
    }

    @Test
    void should_not_retry_a_stream_that_already_sent_events() throws Exception {
        JvmFakeVllm dying = server(10);
        JvmFakeVllm other = server(1);
        registry.register(VllmEngine.TYPE, MODEL, dying.baseUrl(), "vllm-run", 0);
        registry.register(VllmEngine.TYPE, MODEL, other.baseUrl(), "vllm-run", 1);

        AssertSubscriber<StreamEvent> sub = engine().stream(chat(1000)).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> !sub.getItems().isEmpty() || sub.getFailure() != null);
        assertThat(sub.getFailure()).as("the stream started").isNull();
        dying.close(); // the engine dies mid-stream

        Throwable failure = sub.awaitFailure(WAIT).getFailure();
        assertThat(failure).isNotNull();
        assertThat(other.streamsCompleted()).as("not retried elsewhere").isZero();
        assertThat(registry.isDown(dying.baseUrl())).isFalse();
    }
}
