package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
class HealthAndDocsTest {

    @Test
    void should_answer_the_seed_health_endpoint() {
        given().when().get("/health").then().statusCode(200).body("status", is("ok"));
    }

    @Test
    void should_be_live_and_ready_once_the_default_model_is_loaded() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'default-model' }.data.state", is("ready"));
    }

    @Test
    void should_document_every_endpoint_and_field_in_openapi() {
        JsonPath spec = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = spec.getMap("paths");
        assertThat(paths).containsKeys("/api/v1/llm/generate", "/api/v1/llm/chat",
                "/api/v1/llm/structured-generate", "/api/v1/llm/embed", "/health");
        Map<String, Map<String, Object>> schemas = spec.getMap("components.schemas");
        for (String dto : new String[] {"GenerateBody", "ChatBody", "StructuredBody", "Generated", "Chatted", "Structured",
                "EmbedBody", "EmbedData", "EmbeddingUsage"}) {
            Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schemas.get(dto).get("properties");
            assertThat(properties).as(dto).isNotEmpty();
            properties.forEach((name, property) -> {
                assertThat(name).as(dto + " uses the wire name").doesNotMatch(".*[A-Z].*");
                if (!property.containsKey("$ref")) {
                    assertThat(property.get("description")).as(dto + "." + name + " is documented").isNotNull();
                }
            });
        }
        assertThat(((Map<String, Object>) schemas.get("GenerateBody").get("properties"))).containsKeys("max_tokens", "engine_type");
    }

    @Test
    void should_serve_swagger_ui_and_redoc_offline() {
        given().when().get("/docs/").then().statusCode(200).body(containsString("swagger"));
        given().redirects().follow(false).when().get("/redoc").then().statusCode(303);
        given().when().get("/redoc/").then().statusCode(200).body(containsString("/q/openapi"));
        given().when().get("/webjars/redoc/2.1.4/bundles/redoc.standalone.js").then().statusCode(200);
    }
}
