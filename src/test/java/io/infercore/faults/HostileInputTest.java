package io.infercore.faults;

import io.infercore.faults.HostileCorpus.Case;
import io.infercore.faults.HostileCorpus.Expect;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixed hostile corpus ({@link HostileCorpus}) against every route, plus an oversized body
 * on each JSON route: never a 5xx, never a stack trace, every reply in the route's error shape
 * with the caller's X-Request-Id, and no launch field refused late enough to spawn an engine.
 */
@QuarkusTest
@Tag("corpus")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    static final List<String> TRACE_MARKS = List.of("Exception", "\tat ", ".java:", "at io.", "at java.", "io.infercore.",
            "java.lang.", "com.fasterxml");
    private static final AtomicInteger SENT = new AtomicInteger();

    @TestHTTPResource("/")
    URL base;

    static List<Case> corpus() {
        return HostileCorpus.all();
    }

    static List<String> jsonRoutes() {
        return HostileCorpus.JSON_ROUTES;
    }

    @Test
    @Order(0)
    void should_hold_at_least_200_cases() {
        assertThat(corpus().size() + jsonRoutes().size()).isGreaterThanOrEqualTo(200);
    }

    @Order(1)
    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("corpus")
    void should_answer_hostile_input_in_the_routes_error_shape(Case c) {
        String requestId = "hostile-" + SENT.incrementAndGet();
        RequestSpecification request = given().urlEncodingEnabled(false).header("X-Request-Id", requestId);
        if (c.body() != null) {
            // RestAssured encodes a form body itself from a String only
            request = c.contentType().startsWith("application/x-www-form-urlencoded")
                    ? request.contentType(c.contentType()).body(new String(c.body(), StandardCharsets.UTF_8))
                    : request.contentType(c.contentType()).body(c.body());
        }
        Response response = request.when().request(c.method(), c.path());
        String body = response.asString();
        int status = response.statusCode();
        assertThat(status).as(body).isLessThan(500);
        TRACE_MARKS.forEach(mark -> assertThat(body).as("stack trace text").doesNotContain(mark));
        switch (c.expect()) {
            case BAD_REQUEST -> assertThat(status).as(body).isEqualTo(400);
            case CLIENT_ERROR -> assertThat(status).as(body).isBetween(400, 499);
            case ANY_BELOW_500 -> assertThat(status).as(body).isLessThan(500);
            case URI_TOO_LONG -> {
                assertThat(status).isEqualTo(414);
                return;
            }
        }
        if (status >= 400) {
            assertErrorShape(c.path(), response, requestId, status);
        }
    }

    @Order(2)
    @ParameterizedTest(name = "oversized body on {0}")
    @MethodSource("jsonRoutes")
    void should_refuse_an_oversized_body_with_413_in_the_routes_shape(String route) throws Exception {
        RawHttp.Reply reply = RawHttp.post(base, route, "huge-1", "{\"prompt\":\"", 128 * 1024, 64L * 1024 * 1024);
        assertThat(reply.status()).as(reply.body()).isEqualTo(413);
        assertThat(reply.header("X-Request-Id")).isEqualTo("huge-1");
        if (route.startsWith("/v1/messages")) {
            assertThat(reply.json().path("type").asText()).isEqualTo("error");
            assertThat(reply.json().path("error").path("type").asText()).isEqualTo("request_too_large");
        } else if (route.startsWith("/v1/")) {
            assertThat(reply.json().path("error").path("code").asText()).isEqualTo("413");
        } else {
            assertThat(reply.json().path("code").asInt()).isEqualTo(413);
            assertThat(reply.json().path("request_id").asText()).isEqualTo("huge-1");
        }
    }

    @Test
    @Order(3)
    void should_have_started_no_run() {
        List<String> runs = given().when().get("/api/v1/models/running").then().statusCode(200)
                .extract().jsonPath().getList("data.run_id");
        assertThat(runs).allMatch(id -> id.startsWith("builtin-"));
    }

    static void assertErrorShape(String path, Response response, String requestId, int status) {
        String body = response.asString();
        assertThat(response.contentType()).as(body).startsWith("application/json");
        assertThat(response.header("X-Request-Id")).as(body).isEqualTo(requestId);
        if (path.startsWith("/v1/messages")) {
            // Anthropic's shape: {"type":"error","error":{type,message},"request_id"}
            assertThat(response.jsonPath().getString("type")).as(body).isEqualTo("error");
            assertThat(response.jsonPath().getString("error.type")).as(body).isNotBlank();
            assertThat(response.jsonPath().getString("error.message")).as(body).isNotBlank();
            assertThat(response.jsonPath().getString("request_id")).as(body).isEqualTo(requestId);
        } else if (path.startsWith("/v1/")) {
            assertThat(response.jsonPath().getString("error.message")).as(body).isNotBlank();
            assertThat(response.jsonPath().getString("error.type")).as(body).isNotBlank();
            assertThat(response.jsonPath().getString("error.code")).as(body).isEqualTo(String.valueOf(status));
        } else {
            assertThat(response.jsonPath().getString("request_id")).as(body).isEqualTo(requestId);
            assertThat(response.jsonPath().getInt("code")).as(body).isEqualTo(status);
            assertThat(response.jsonPath().getString("msg")).as(body).isNotBlank();
            assertThat(response.jsonPath().<Object>get("data")).as(body).isNull();
        }
    }
}
