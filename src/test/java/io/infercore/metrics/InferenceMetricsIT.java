package io.infercore.metrics;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY;

/**
 * {@link InferenceMetricsTest} against the packaged jar: {@code /q/metrics}, the {@code infercore_*}
 * meters and the overhead header as a deployment serves them.
 * Skipped against a native executable, which has no embedded engine ({@link io.infercore.api.EmbeddedDisabledIT} runs there).
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(value = "needs the embedded engine, off in the native build", forArtifactTypes = NATIVE_BINARY)
class InferenceMetricsIT extends InferenceMetricsTest {
}
