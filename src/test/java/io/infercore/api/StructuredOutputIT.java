package io.infercore.api;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY;

/**
 * {@link StructuredOutputTest} against the packaged jar: grammar-constrained structured output, validated server-side.
 * Skipped against a native executable, which has no embedded engine ({@link EmbeddedDisabledIT} runs there).
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(value = "needs the embedded engine, off in the native build", forArtifactTypes = NATIVE_BINARY)
class StructuredOutputIT extends StructuredOutputTest {
}
