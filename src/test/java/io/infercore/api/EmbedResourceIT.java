package io.infercore.api;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY;

/**
 * {@link EmbedResourceTest} against the packaged jar: the embedded all-MiniLM-L6-v2 model (its ONNX graph read from the package).
 * Skipped against a native executable, where the embedding model (ONNX Runtime) is off: {@link EmbeddingsOffInNativeIT} runs there.
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(value = "the embedded embedding model (ONNX Runtime) is off in the native build", forArtifactTypes = NATIVE_BINARY)
class EmbedResourceIT extends EmbedResourceTest {
}
