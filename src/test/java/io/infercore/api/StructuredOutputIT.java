package io.infercore.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link StructuredOutputTest} against the packaged artifact (the jar; the native executable with scripts/native-its.sh): grammar-constrained structured output, validated server-side.
 */
@QuarkusIntegrationTest
class StructuredOutputIT extends StructuredOutputTest {
}
