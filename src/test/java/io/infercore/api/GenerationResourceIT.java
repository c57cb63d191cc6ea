package io.infercore.api;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY;

/**
 * {@link GenerationResourceTest} against the packaged jar: the native generation API (JSON, SSE, errors) on stories260K.
 * Skipped against a native executable, which has no embedded engine ({@link EmbeddedDisabledIT} runs there).
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(value = "needs the embedded engine, off in the native build", forArtifactTypes = NATIVE_BINARY)
class GenerationResourceIT extends GenerationResourceTest {
}
