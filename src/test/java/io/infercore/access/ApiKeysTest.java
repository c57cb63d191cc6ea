package io.infercore.access;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.infercore.access.ApiKeysProfile.ADMIN;
import static io.infercore.access.ApiKeysProfile.LIMITED;
import static io.infercore.access.ApiKeysProfile.RATED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** API keys on the real service: 401 in each route's shape, open probes and UI, per-key models and rate. */
@QuarkusTest
@TestProfile(ApiKeysProfile.class)
class ApiKeysTest {

    private static final String GENERATE = "{\"prompt\":\"Once\",\"max_tokens\":2%s}";

    @Test
    void should_refuse_api_v1_without_a_key_in_the_envelope() {
        given().header("X-Request-Id", "req-401").when().get("/api/v1/models").then().statusCode(401)
                .header("X-Request-Id", "req-401").header("WWW-Authenticate", "Bearer")
                .body("request_id", is("req-401")).body("code", is(401)).body("data", nullValue())
                .body("msg", is("an API key is required: send it as \"Authorization: Bearer <key>\" or \"X-API-Key: <key>\""));
        given().contentType(ContentType.JSON).body(GENERATE.formatted("")).when().post("/api/v1/llm/generate")
                .then().statusCode(401).body("code", is(401));
        given().when().get("/api/v1/models/running").then().statusCode(401);
    }

    @Test
    void should_refuse_v1_without_a_key_in_openais_shape() {
        given().when().get("/v1/models").then().statusCode(401)
                .body("error.code", is("invalid_api_key")).body("error.type", is("invalid_request_error"))
                .body("error.param", nullValue()).body("error.message", notNullValue());
        given().contentType(ContentType.JSON).body("{\"model\":\"stories260k\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(401).body("error.code", is("invalid_api_key"));
    }

    @Test
    void should_refuse_a_wrong_key_without_echoing_it() {
        String wrong = "sk-wrong-key-31337";
        Response reply = given().header("Authorization", "Bearer " + wrong).when().get("/api/v1/models");
        reply.then().statusCode(401).body("msg", is("the API key is not valid"));
        assertThat(reply.asString()).doesNotContain(wrong);
        given().header("Authorization", "Basic " + ADMIN).when().get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void should_accept_a_key_as_bearer_or_x_api_key() {
        given().header("Authorization", "Bearer " + ADMIN).when().get("/api/v1/models").then().statusCode(200).body("code", is(200));
        given().header("authorization", "bearer " + ADMIN).when().get("/v1/models").then().statusCode(200);
        given().header("X-API-Key", LIMITED).when().get("/api/v1/models/running").then().statusCode(200);
    }

    @Test
    void should_keep_probes_docs_and_the_ui_open() {
        given().when().get("/health").then().statusCode(200).body("status", is("ok"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
        given().redirects().follow(false).when().get("/redoc").then().statusCode(303);
        given().when().get("/").then().statusCode(200);
        given().when().get("/js/api.js").then().statusCode(200);
    }

    @Test
    void should_let_a_limited_key_use_only_its_models() {
        given().header("X-API-Key", LIMITED).contentType(ContentType.JSON).body(GENERATE.formatted(""))
                .when().post("/api/v1/llm/generate").then().statusCode(200).body("data.model_name", is("stories260k"));
        given().header("X-API-Key", LIMITED).contentType(ContentType.JSON)
                .body(GENERATE.formatted(",\"engine_type\":\"ollama\",\"model_name\":\"llama3.2\""))
                .when().post("/api/v1/llm/generate").then().statusCode(403).body("code", is(403))
                .body("msg", is("the API key 'limited' may not use model 'llama3.2'; ask for it to be added to the key's models"));
        given().header("X-API-Key", LIMITED).contentType(ContentType.JSON).body("{\"input\":\"hello\"}")
                .when().post("/api/v1/llm/embed").then().statusCode(403);
        given().header("X-API-Key", LIMITED).contentType(ContentType.JSON)
                .body("{\"model\":\"all-minilm-l6-v2\",\"input\":\"hello\"}")
                .when().post("/v1/embeddings").then().statusCode(403)
                .body("error.code", is("model_not_allowed")).body("error.param", is("model"));
        given().header("X-API-Key", LIMITED).contentType(ContentType.JSON)
                .body("{\"model\":\"stories260k\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().header("X-API-Key", LIMITED).when().get("/v1/models").then().statusCode(200)
                .body("data.id", hasItem("stories260k")).body("data.id", not(hasItem("all-minilm-l6-v2")));
        given().header("X-API-Key", ADMIN).when().get("/v1/models").then().statusCode(200)
                .body("data.id", hasItem("all-minilm-l6-v2"));
        given().header("X-API-Key", LIMITED).contentType(ContentType.JSON)
                .body("{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\"}")
                .when().post("/api/v1/models/start").then().statusCode(403);
    }

    @Test
    void should_answer_429_with_retry_after_over_a_keys_rate() {
        given().header("X-API-Key", RATED).when().get("/api/v1/models").then().statusCode(200);
        Response limited = given().header("X-API-Key", RATED).when().get("/v1/models");
        limited.then().statusCode(429).body("error.code", is("rate_limit_exceeded")).body("error.type", is("rate_limit_error"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        given().header("X-API-Key", RATED).when().get("/api/v1/models").then().statusCode(429).body("code", is(429))
                .header("Retry-After", notNullValue());
        given().header("X-API-Key", ADMIN).when().get("/api/v1/models").then().statusCode(200); // other keys unaffected
    }
    @Test
    void should_check_keys_on_the_anthropic_and_responses_routes_in_their_own_shapes() {
        String message = "{\"model\":\"%s\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        given().contentType(ContentType.JSON).body(message.formatted("stories260k")).when().post("/v1/messages")
                .then().statusCode(401).body("type", is("error")).body("error.type", is("authentication_error"));
        // Anthropic's SDKs send the key as x-api-key
        given().header("x-api-key", LIMITED).header("anthropic-version", "2023-06-01").contentType(ContentType.JSON)
                .body(message.formatted("stories260k")).when().post("/v1/messages")
                .then().statusCode(200).body("type", is("message"));
        given().header("x-api-key", LIMITED).contentType(ContentType.JSON)
                .body(message.formatted("llamacpp/other-model")).when().post("/v1/messages")
                .then().statusCode(403).body("error.type", is("permission_error"));

        String response = "{\"model\":\"%s\",\"max_output_tokens\":2,\"input\":\"hi\",\"store\":false}";
        given().contentType(ContentType.JSON).body(response.formatted("stories260k")).when().post("/v1/responses")
                .then().statusCode(401).body("error.code", is("invalid_api_key"));
        given().header("Authorization", "Bearer " + LIMITED).contentType(ContentType.JSON)
                .body(response.formatted("stories260k")).when().post("/v1/responses")
                .then().statusCode(200).body("object", is("response"));
        given().header("Authorization", "Bearer " + LIMITED).contentType(ContentType.JSON)
                .body(response.formatted("llamacpp/other-model")).when().post("/v1/responses")
                .then().statusCode(403).body("error.param", is("model"));
        given().when().get("/v1/responses/resp_00000000000000000000000000000000").then().statusCode(401);

        // a stored response belongs to the key that created it: another key gets the unknown-id 404
        String stored = given().header("Authorization", "Bearer " + LIMITED).contentType(ContentType.JSON)
                .body(response.formatted("stories260k").replace("\"store\":false", "\"store\":true"))
                .when().post("/v1/responses").then().statusCode(200).extract().path("id");
        given().header("Authorization", "Bearer " + LIMITED).when().get("/v1/responses/" + stored)
                .then().statusCode(200).body("id", is(stored));
        given().header("Authorization", "Bearer " + ADMIN).when().get("/v1/responses/" + stored)
                .then().statusCode(404).body("error.param", is("response_id"));
        given().header("Authorization", "Bearer " + ADMIN).when().delete("/v1/responses/" + stored).then().statusCode(404);
        given().header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                .body("{\"model\":\"stories260k\",\"max_output_tokens\":2,\"input\":\"more\",\"previous_response_id\":\""
                        + stored + "\"}").when().post("/v1/responses")
                .then().statusCode(404).body("error.param", is("previous_response_id"));
        given().header("Authorization", "Bearer " + LIMITED).when().delete("/v1/responses/" + stored).then().statusCode(200);
    }

    @Test
    void should_guard_ollamas_api_and_rerank_with_the_same_keys_in_their_shapes() {
        String chat = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false,"
                + "\"options\":{\"num_predict\":2}}";
        given().when().get("/api/tags").then().statusCode(401).body("error", is("an API key is required: send it as "
                + "\"Authorization: Bearer <key>\" or \"X-API-Key: <key>\""));
        given().contentType(ContentType.JSON).body(chat.formatted("stories260k")).when().post("/api/chat").then()
                .statusCode(401).body("error", notNullValue());
        given().header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON).body(chat.formatted("stories260k"))
                .when().post("/api/chat").then().statusCode(200).body("done", is(true));
        // a key limited to stories260k sees only it and may not use another model
        given().header("X-API-Key", LIMITED).when().get("/api/tags").then().statusCode(200)
                .body("models.name", hasItem("stories260k")).body("models.name", not(hasItem("all-minilm-l6-v2")));
        given().header("X-API-Key", LIMITED).contentType(ContentType.JSON).body("{\"model\":\"all-minilm-l6-v2\","
                + "\"input\":\"hi\"}").when().post("/api/embed").then().statusCode(403).body("error", notNullValue());
        given().contentType(ContentType.JSON).body("{\"query\":\"q\",\"documents\":[\"a\"]}").when().post("/v1/rerank")
                .then().statusCode(401).body("error.code", is("invalid_api_key"));
        given().contentType(ContentType.JSON).body("{\"query\":\"q\",\"documents\":[\"a\"]}").when()
                .post("/api/v1/llm/rerank").then().statusCode(401).body("code", is(401));
    }
}
