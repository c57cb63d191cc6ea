package io.infercore.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link ValidationTableTest} against the packaged artifact (the jar; the native executable with scripts/native-its.sh): every validation rule and the error envelope.
 */
@QuarkusIntegrationTest
class ValidationTableIT extends ValidationTableTest {
}
