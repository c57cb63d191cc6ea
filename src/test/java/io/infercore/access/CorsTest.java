package io.infercore.access;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

/** By default a page from another origin gets no CORS header, so browsers keep it from reading any reply. */
@QuarkusTest
class CorsTest {

    @Test
    void should_send_no_cors_headers_to_a_foreign_origin_by_default() {
        given().header("Origin", "https://evil.example").when().get("/api/v1/models").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization")
                .when().options("/v1/chat/completions").then().header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Headers", nullValue());
    }
}
