package io.infercore.access;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** With CORS configured (README, "Access"), the listed origin may call the API from a browser; others still may not. */
@QuarkusTest
@TestProfile(CorsConfiguredTest.Profile.class)
class CorsConfiguredTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.enabled", "true", "quarkus.http.cors.origins", "https://app.example",
                    "infercore.api_keys", "sk-cors-test-key");
        }
    }

    @Test
    void should_allow_the_configured_origin_with_a_key_in_the_preflight() {
        given().header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization")
                .when().options("/v1/chat/completions").then().statusCode(200)
                .header("Access-Control-Allow-Origin", is("https://app.example"))
                .header("Access-Control-Allow-Headers", containsString("authorization"));
        given().header("Origin", "https://app.example").header("Authorization", "Bearer sk-cors-test-key")
                .when().get("/api/v1/models").then().statusCode(200)
                .header("Access-Control-Allow-Origin", is("https://app.example"));
    }

    @Test
    void should_still_refuse_other_origins() {
        given().header("Origin", "https://evil.example").header("Authorization", "Bearer sk-cors-test-key")
                .when().get("/api/v1/models").then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
