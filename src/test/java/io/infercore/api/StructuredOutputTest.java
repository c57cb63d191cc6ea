package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** structured-generate on the embedded engine: grammar-constrained output, validated server-side. */
@QuarkusTest
class StructuredOutputTest {

    static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/llm/structured-generate");
    }

    @Test
    void should_return_json_that_validates_against_the_short_form() {
        Response r = post("{\"prompt\":\"Once upon a time\",\"schema\":{\"name\":\"string\",\"age\":\"integer\"},"
                + "\"max_tokens\":200,\"temperature\":0}");
        r.then().statusCode(200).body("code", is(200));
        assertThat(r.jsonPath().getBoolean("data.valid")).as(r.asString()).isTrue();
        assertThat(r.jsonPath().getList("data.errors")).isEmpty();
        Map<String, Object> json = r.jsonPath().getMap("data.json");
        assertThat(json).containsOnlyKeys("name", "age");
        assertThat(json.get("age")).isInstanceOf(Integer.class);
    }

    @Test
    void should_honour_enums_nested_objects_arrays_and_lengths() {
        String schema = """
                {"type":"object","properties":{
                   "color":{"enum":["red","green","blue"]},
                   "pet":{"type":"object","properties":{"kind":{"type":"string","maxLength":8}},"required":["kind"]},
                   "tags":{"type":"array","items":{"type":"boolean"},"minItems":1,"maxItems":3}},
                 "required":["color","pet","tags"]}""";
        Response r = post("{\"prompt\":\"Once upon a time\",\"schema\":" + schema + ",\"max_tokens\":200,\"temperature\":0}");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getBoolean("data.valid")).as(r.asString()).isTrue();
        assertThat(r.jsonPath().getString("data.json.color")).isIn("red", "green", "blue");
        assertThat(r.jsonPath().getString("data.json.pet.kind")).hasSizeLessThanOrEqualTo(8);
        assertThat(r.jsonPath().getList("data.json.tags")).hasSizeBetween(1, 3);
    }

    @Test
    void should_report_invalid_output_with_the_validators_errors_after_one_retry() {
        // A grammar cannot express "multipleOf"; the tiny model will not guess it, so validation must catch it.
        String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":1,\"multipleOf\":1000003}},\"required\":[\"n\"]}";
        Response r = post("{\"prompt\":\"Once upon a time\",\"schema\":" + schema + ",\"max_tokens\":40,\"temperature\":0}");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getBoolean("data.valid")).as(r.asString()).isFalse();
        assertThat(r.jsonPath().getInt("data.attempts")).isEqualTo(2);
        assertThat(r.jsonPath().getList("data.errors", String.class)).anyMatch(e -> e.contains("multiple"));
        assertThat(r.jsonPath().getList("data.unenforced_keywords", String.class)).containsExactly("/properties/n/multipleOf");
    }

    @Test
    void should_enforce_ranges_patterns_and_enum_only_objects_in_the_grammar() {
        // Before: the enum-only object's grammar used an undefined rule and llama.cpp generated free prose;
        // the range and the pattern were left to the validator, which rejected what the model guessed.
        String schema = """
                {"type":"object","properties":{
                   "color":{"enum":["red","green","blue"]},
                   "age":{"type":"integer","minimum":0,"exclusiveMaximum":130},
                   "code":{"type":"string","pattern":"^[A-Z]{2}-[0-9]{3}$"}},
                 "required":["color","age","code"]}""";
        for (String temperature : new String[] {"0", "1"}) {
            Response r = post("{\"prompt\":\"Once upon a time\",\"schema\":" + schema + ",\"max_tokens\":100,"
                    + "\"temperature\":" + temperature + ",\"seed\":3}");
            r.then().statusCode(200);
            assertThat(r.jsonPath().getBoolean("data.valid")).as(r.asString()).isTrue();
            assertThat(r.jsonPath().getInt("data.attempts")).isEqualTo(1);
            assertThat(r.jsonPath().getList("data.unenforced_keywords")).isEmpty();
            assertThat(r.jsonPath().getString("data.finish_reason")).isEqualTo("stop");
        }
    }

    @Test
    void should_say_when_the_answer_was_cut_at_max_tokens() {
        Response r = post("{\"prompt\":\"Once upon a time\",\"schema\":{\"type\":\"object\",\"properties\":{"
                + "\"story\":{\"type\":\"string\",\"minLength\":200}},\"required\":[\"story\"]},\"max_tokens\":10,\"temperature\":0}");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getBoolean("data.valid")).isFalse();
        assertThat(r.jsonPath().getString("data.finish_reason")).isEqualTo("length");
        assertThat(r.jsonPath().getList("data.errors", String.class).get(0)).contains("cut off at max_tokens (10 tokens)");
    }

    @Test
    void should_refuse_an_invalid_raw_grammar_instead_of_generating_without_it() {
        Response r = given().contentType(ContentType.JSON).body("{\"prompt\":\"Once upon a time\",\"max_tokens\":8,"
                + "\"engine_args\":{\"grammar\":\"root ::= \\\"{\\\" ws \\\"}\\\"\"}}").when().post("/api/v1/llm/generate");
        ValidationTableTest.assertEnvelope(r, 400, "undefined rule 'ws'");
    }

    @Test
    void should_refuse_remote_references_instead_of_fetching_them() {
        Response r = post("{\"prompt\":\"x\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:9/s.json\"}}}}");
        ValidationTableTest.assertEnvelope(r, 400, "local reference");
    }

    /** Schemas llama.cpp's own converter aborts the JVM on; here each is a 400 or a valid answer, never a crash. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":5}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://evil.example/schema\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/missing\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"(unclosed\"}}}",
            "{\"type\":\"array\",\"minItems\":5,\"maxItems\":2}",
            "{\"type\":\"wizard\"}",
            "{\"$schema\":\"http://127.0.0.1:9/x\",\"type\":\"object\"}",
            "{\"$id\":\"http://127.0.0.1:9/base\",\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/x\"}},\"$defs\":{\"x\":{\"type\":\"string\"}}}"})
    void should_never_crash_on_hostile_schemas(String schema) {
        Response r = post("{\"prompt\":\"Once upon a time\",\"schema\":" + schema + ",\"max_tokens\":16}");
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 400);
        given().when().get("/health").then().statusCode(200);
    }

    @Test
    void should_name_unenforced_keywords_on_the_openai_route_too() {
        String body = """
                {"model":"stories260k","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":60,
                 "temperature":0,"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":
                 {"type":"object","properties":{"n":{"type":"integer","minimum":-3,"maximum":3},
                  "tags":{"type":"array","items":{"enum":["a","b"]},"uniqueItems":true,"maxItems":2}},
                  "required":["n","tags"],"additionalProperties":false}}}}""";
        Response r = given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getList("unenforced_keywords", String.class)).as(r.asString())
                .containsExactly("/properties/tags/uniqueItems");
        Map<String, Object> json = io.restassured.path.json.JsonPath.from(r.jsonPath().getString("choices[0].message.content"))
                .getMap("$");
        assertThat((Integer) json.get("n")).isBetween(-3, 3);
    }
}
