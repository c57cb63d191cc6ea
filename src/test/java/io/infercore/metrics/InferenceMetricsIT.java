package io.infercore.metrics;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY;

/**
 * {@link InferenceMetricsTest} against the packaged artifact (the jar; the native executable with scripts/native-its.sh): {@code /q/metrics}, the {@code infercore_*}
 * meters and the overhead header as a deployment serves them.
 */
@QuarkusIntegrationTest
class InferenceMetricsIT extends InferenceMetricsTest {

    @Override
    @Test
    @DisabledOnIntegrationTest(value = "the embedded embedding model (ONNX Runtime) is off in the native build: EmbeddingsOffInNativeIT",
            forArtifactTypes = NATIVE_BINARY)
    void should_count_embeddings_with_their_input_tokens() {
        super.should_count_embeddings_with_their_input_tokens();
    }
}
