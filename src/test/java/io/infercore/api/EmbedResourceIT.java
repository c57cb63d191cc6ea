package io.infercore.api;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY;

/**
 * {@link EmbedResourceTest} against the packaged jar: the embedded all-MiniLM-L6-v2 model (its ONNX graph read from the package).
 * Skipped against a native executable, which has no embedded engine ({@link EmbeddedDisabledIT} runs there).
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(value = "needs the embedded engine, off in the native build", forArtifactTypes = NATIVE_BINARY)
class EmbedResourceIT extends EmbedResourceTest {
}
