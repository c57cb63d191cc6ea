package io.infercore.metrics;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link InferenceMetricsTest} against the packaged artifact (the jar; the native executable with scripts/native-its.sh): {@code /q/metrics}, the {@code infercore_*}
 * meters and the overhead header as a deployment serves them.
 */
@QuarkusIntegrationTest
class InferenceMetricsIT extends InferenceMetricsTest {
}
