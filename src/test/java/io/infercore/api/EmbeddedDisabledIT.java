package io.infercore.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link EmbeddedDisabledTest} against the packaged artifact: the jar here, run as the native
 * executable runs (embedded engines off), and the native executable itself where GraalVM builds one.
 */
@QuarkusIntegrationTest
class EmbeddedDisabledIT extends EmbeddedDisabledTest {
}
