package io.infercore.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link HealthAndDocsTest} against the packaged artifact (the jar; the native executable with scripts/native-its.sh): health probes, OpenAPI, Swagger UI and ReDoc (static resources of the package).
 */
@QuarkusIntegrationTest
class HealthAndDocsIT extends HealthAndDocsTest {
}
