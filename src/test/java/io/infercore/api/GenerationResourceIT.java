package io.infercore.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link GenerationResourceTest} against the packaged artifact (the jar; the native executable with scripts/native-its.sh): the native generation API (JSON, SSE, errors) on stories260K.
 */
@QuarkusIntegrationTest
class GenerationResourceIT extends GenerationResourceTest {
}
