package io.infercore.engine.http;

import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one place of resends and circuit breaking: only a call the engine never answered is sent
 * again, a stream never once its first item has arrived, and unanswered calls in a row open the
 * circuit, which then refuses calls (but not health probes) without trying the engine.
 */
@DisplayName("CallPolicy: resends before any answer, breaker on unanswered calls")
class CallPolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RemoteEndpoint endpoint(int retries, int breakerFailures) {
        return new RemoteEndpoint("vllm", "http://127.0.0.1:9", null, Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(60), retries, breakerFailures, Duration.ofHours(1));
    }

    private static CallPolicy.Unanswered refused() {
        return new CallPolicy.Unanswered(new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE,
                "vllm is not reachable at http://127.0.0.1:9; start it"));
    }

    @Test
    void should_resend_an_unanswered_call_at_most_retries_times() {
        CallPolicy policy = new CallPolicy(endpoint(2, 0));
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> policy.call(() -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(refused());
        }, Duration.ofSeconds(30), "first_token", true).await().atMost(WAIT))
                .isInstanceOf(InfercoreException.class).hasMessageContaining("not reachable");
        assertThat(attempts.get()).as("first send + 2 resends").isEqualTo(3);
    }

    @Test
    void should_not_resend_a_call_the_engine_answered() {
        CallPolicy policy = new CallPolicy(endpoint(2, 0));
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> policy.call(() -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new InfercoreException(ErrorKind.UPSTREAM_ERROR, "vllm answered 500"));
        }, Duration.ofSeconds(30), "first_token", true).await().atMost(WAIT)).hasMessageContaining("500");
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void should_resend_a_stream_only_while_nothing_has_arrived() {
        CallPolicy policy = new CallPolicy(endpoint(3, 0));
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();

        List<String> items = policy.stream(() -> before.incrementAndGet() == 1
                ? Multi.createFrom().failure(refused())
                : Multi.createFrom().items("a", "b"), true).collect().asList().await().atMost(WAIT);
        assertThat(items).containsExactly("a", "b");
        assertThat(before.get()).isEqualTo(2);

        assertThatThrownBy(() -> policy.stream(() -> {
            after.incrementAndGet();
            return Multi.createBy().concatenating().streams(Multi.createFrom().item("a"),
                    Multi.createFrom().failure(refused()));
        }, true).collect().asList().await().atMost(WAIT)).isInstanceOf(InfercoreException.class);
        assertThat(after.get()).as("a started stream is not sent again").isEqualTo(1);
    }

    @Test
    void should_open_the_circuit_after_unanswered_calls_in_a_row_and_refuse_without_calling() {
        CallPolicy policy = new CallPolicy(endpoint(0, 2));
        AtomicInteger attempts = new AtomicInteger();
        java.util.function.Supplier<Uni<String>> down = () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(refused());
        };

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> policy.call(down, Duration.ofSeconds(30), "first_token", true).await().atMost(WAIT));
        }
        assertThat(policy.isOpen()).isTrue();
        assertThatThrownBy(() -> policy.call(down, Duration.ofSeconds(30), "first_token", true).await().atMost(WAIT))
                .isInstanceOf(InfercoreException.class)
                .hasMessageContaining("not reachable at http://127.0.0.1:9")
                .hasMessageContaining("vllm.timeouts.breaker_open")
                .satisfies(e -> assertThat(((InfercoreException) e).httpStatus()).isEqualTo(503));
        assertThatThrownBy(() -> policy.stream(() -> Multi.createFrom().item("x"), true).collect().asList()
                .await().atMost(WAIT)).hasMessageContaining("breaker_open");
        assertThat(attempts.get()).as("refused calls never reach the engine").isEqualTo(2);

        String probe = policy.call(() -> Uni.createFrom().item("up"), Duration.ofSeconds(30), "first_token", false)
                .await().atMost(WAIT);
        assertThat(probe).as("health probes go through an open circuit").isEqualTo("up");
    }

    @Test
    void should_count_only_unanswered_calls_in_a_row() {
        CallPolicy policy = new CallPolicy(endpoint(0, 2));

        assertThatThrownBy(() -> policy.call(() -> Uni.createFrom().failure(refused()), Duration.ofSeconds(30),
                "first_token", true).await().atMost(WAIT));
        policy.call(() -> Uni.createFrom().item("ok"), Duration.ofSeconds(30), "first_token", true).await().atMost(WAIT);
        assertThatThrownBy(() -> policy.call(() -> Uni.createFrom().failure(refused()), Duration.ofSeconds(30),
                "first_token", true).await().atMost(WAIT));
        assertThatThrownBy(() -> policy.call(() -> Uni.createFrom().failure(new InfercoreException(
                ErrorKind.MODEL_NOT_FOUND, "no such model")), Duration.ofSeconds(30), "first_token", true)
                .await().atMost(WAIT));

        assertThat(policy.isOpen()).as("an answer in between resets the count").isFalse();
    }
}
