package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * {@code POST /api/v1/llm/embed} on the embedded all-MiniLM-L6-v2 model: shape of the envelope,
 * real vectors (unit norm, deterministic, order kept, batch equal to one-by-one) and a semantic
 * check that a word-overlap or random model could not pass.
 */
@QuarkusTest
class EmbedResourceTest {

    static final String EMBED = "/api/v1/llm/embed";
    static final String CAT = "A cat sits on the mat";
    static final String KITTEN = "A kitten is on the rug";
    static final String MARKETS = "Stock markets fell sharply";
    static final String SHARES = "Shares dropped steeply today";

    static JsonPath embed(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(EMBED)
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    static float[] vector(JsonPath data, int index) {
        List<Float> values = data.getList("data.embeddings[" + index + "]", Float.class);
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    @Test
    void should_embed_a_string_with_the_embedded_default_model_in_the_envelope() {
        given().contentType(ContentType.JSON).body("{\"input\":\"" + CAT + "\"}")
                .when().post(EMBED)
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .header(RequestIds.HEADER, notNullValue())
                .body("code", is(200))
                .body("msg", is("success"))
                .body("data.embeddings.size()", is(1))
                .body("data.embeddings[0].size()", is(384))
                .body("data.dimensions", is(384))
                .body("data.model_name", is("all-minilm-l6-v2"))
                .body("data.engine_type", is("llamacpp"))
                .body("data.usage.prompt_tokens", greaterThan(0));
    }

    @Test
    void should_return_unit_vectors_that_are_deterministic() {
        JsonPath first = embed("{\"input\":[\"" + CAT + "\",\"" + MARKETS + "\"]}");
        JsonPath second = embed("{\"input\":[\"" + CAT + "\",\"" + MARKETS + "\"]}");
        for (int i = 0; i < 2; i++) {
            float[] v = vector(first, i);
            assertThat(v).hasSize(384);
            assertThat(norm(v)).as("L2 norm of vector %d", i).isCloseTo(1.0, within(1e-3));
            assertThat(vector(second, i)).as("same input, same vector").containsExactly(v);
        }
        assertThat(first.getInt("data.usage.prompt_tokens")).isEqualTo(second.getInt("data.usage.prompt_tokens"));
    }

    @Test
    void should_keep_input_order_and_match_one_by_one_embedding() {
        List<String> texts = List.of(MARKETS, CAT, SHARES, KITTEN);
        JsonPath batch = embed("{\"input\":[\"" + String.join("\",\"", texts) + "\"]}");
        assertThat(batch.getList("data.embeddings")).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = vector(embed("{\"input\":\"" + texts.get(i) + "\"}"), 0);
            assertThat(cosine(vector(batch, i), alone)).as("batch[%d] is the vector of %s", i, texts.get(i))
                    .isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void should_place_paraphrases_closer_than_unrelated_sentences() {
        JsonPath data = embed("{\"input\":[\"" + CAT + "\",\"" + KITTEN + "\",\"" + MARKETS + "\",\"" + SHARES + "\"]}");
        float[] cat = vector(data, 0);
        float[] kitten = vector(data, 1);
        float[] markets = vector(data, 2);
        float[] shares = vector(data, 3);
        // all-MiniLM-L6-v2 gives about 0.61 and 0.67 for the paraphrases, below 0.11 across topics.
        // "Stock markets fell sharply" and "Shares dropped steeply today" share no word at all.
        assertThat(cosine(cat, kitten)).isGreaterThan(0.45).isGreaterThan(cosine(cat, markets) + 0.3);
        assertThat(cosine(markets, shares)).isGreaterThan(0.45).isGreaterThan(cosine(markets, kitten) + 0.3);
        assertThat(cosine(cat, markets)).isLessThan(0.25);
        assertThat(cosine(kitten, shares)).isLessThan(0.25);
    }

    @Test
    void should_use_the_embedded_model_when_only_the_engine_or_only_its_name_is_given() {
        for (String body : List.of("{\"input\":\"hello\",\"engine_type\":\"llamacpp\"}",
                "{\"input\":\"hello\",\"model_name\":\"all-minilm-l6-v2\"}",
                "{\"input\":\"hello\",\"engine_type\":\"llamacpp\",\"model_name\":\"all-minilm-l6-v2\"}")) {
            JsonPath data = embed(body);
            assertThat(data.getString("data.model_name")).as(body).isEqualTo("all-minilm-l6-v2");
            assertThat(data.getString("data.engine_type")).as(body).isEqualTo("llamacpp");
            assertThat(data.getInt("data.dimensions")).as(body).isEqualTo(384);
        }
    }
}
