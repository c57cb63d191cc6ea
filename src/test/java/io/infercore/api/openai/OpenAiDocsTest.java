package io.infercore.api.openai;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The /v1 endpoints and their OpenAI shapes appear in the OpenAPI document, in wire names, documented. */
@QuarkusTest
class OpenAiDocsTest {

    @Test
    @SuppressWarnings("unchecked")
    void should_document_the_v1_endpoints_and_fields_without_clashing_with_native_schemas() {
        JsonPath spec = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        assertThat(spec.getMap("paths")).containsKeys("/v1/models", "/v1/chat/completions", "/v1/completions",
                "/v1/embeddings");
        Map<String, Map<String, Object>> schemas = spec.getMap("components.schemas");
        for (String dto : new String[] {"OpenAiChatCompletionRequest", "OpenAiChatMessage", "OpenAiResponseFormat",
                "OpenAiCompletionRequest", "OpenAiEmbeddingRequest", "OpenAiChatCompletion", "OpenAiAssistantMessage",
                "OpenAiTextCompletion", "OpenAiEmbeddingList", "OpenAiModel", "OpenAiUsage"}) {
            Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schemas.get(dto).get("properties");
            assertThat(properties).as(dto).isNotEmpty();
            properties.forEach((name, property) -> {
                assertThat(name).as(dto + " uses the wire name").doesNotMatch(".*[A-Z].*");
                if (!property.containsKey("$ref")) {
                    assertThat(property.get("description")).as(dto + "." + name + " is documented").isNotNull();
                }
            });
        }
        assertThat((Map<String, Object>) schemas.get("OpenAiChatCompletionRequest").get("properties"))
                .containsKeys("max_completion_tokens", "response_format", "stream_options");
    }
}
