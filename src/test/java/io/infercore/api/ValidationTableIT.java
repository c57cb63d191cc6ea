package io.infercore.api;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY;

/**
 * {@link ValidationTableTest} against the packaged jar: every validation rule and the error envelope.
 * Skipped against a native executable, which has no embedded engine ({@link EmbeddedDisabledIT} runs there).
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(value = "needs the embedded engine, off in the native build", forArtifactTypes = NATIVE_BINARY)
class ValidationTableIT extends ValidationTableTest {
}
