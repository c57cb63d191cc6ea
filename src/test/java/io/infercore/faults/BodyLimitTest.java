package io.infercore.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body above {@code quarkus.http.limits.max-body-size} (10M) is a 413 in the route's error
 * shape with the request id, whether it announces its length or comes chunked; a chunked body
 * under the limit is served as usual.
 */
@QuarkusTest
class BodyLimitTest {

    static final long OVER_LIMIT = 11L * 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    @Test
    void should_refuse_an_announced_oversized_body_with_the_envelope() throws Exception {
        RawHttp.Reply reply = RawHttp.post(base, "/api/v1/llm/generate", "big-1", "{\"prompt\":\"", 256 * 1024, OVER_LIMIT);
        assertEnvelope413(reply, "big-1");
    }

    @Test
    void should_refuse_an_oversized_chunked_body_with_the_envelope() throws Exception {
        RawHttp.Reply reply = RawHttp.post(base, "/api/v1/models/start", "big-2", "{\"model_id\":\"", OVER_LIMIT, -1);
        assertEnvelope413(reply, "big-2");
    }

    @Test
    void should_refuse_oversized_bodies_on_v1_with_the_openai_error() throws Exception {
        for (long contentLength : new long[] {OVER_LIMIT, -1}) {
            RawHttp.Reply reply = RawHttp.post(base, "/v1/chat/completions", "big-3", "{\"model\":\"", OVER_LIMIT, contentLength);
            assertThat(reply.status()).as(reply.body()).isEqualTo(413);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.header("X-Request-Id")).isEqualTo("big-3");
            JsonNode error = reply.json().path("error");
            assertThat(error.path("code").asText()).isEqualTo("413");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("message").asText()).contains("too large").contains(String.valueOf(10 * 1024 * 1024));
        }
    }

    @Test
    void should_serve_a_chunked_body_under_the_limit() throws Exception {
        RawHttp.Reply reply = RawHttp.post(base, "/api/v1/llm/generate", "small-1",
                "{\"prompt\":\"Once upon a time\",\"max_tokens\":3}", 0, -1);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("data").path("usage").path("completion_tokens").asInt()).isPositive();
    }

    static void assertEnvelope413(RawHttp.Reply reply, String requestId) throws Exception {
        assertThat(reply.status()).as(reply.body()).isEqualTo(413);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.header("X-Request-Id")).isEqualTo(requestId);
        JsonNode envelope = reply.json();
        assertThat(envelope.path("request_id").asText()).isEqualTo(requestId);
        assertThat(envelope.path("code").asInt()).isEqualTo(413);
        assertThat(envelope.path("msg").asText()).contains("too large").contains("max-body-size");
        assertThat(envelope.path("data").isNull()).isTrue();
    }
}
