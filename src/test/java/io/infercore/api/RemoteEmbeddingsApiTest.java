package io.infercore.api;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/v1/llm/embed answered through the service by a vLLM pooling server (vLLM 0.11
 * protocol, fake started with --runner pooling, as real vLLM needs for /v1/embeddings) and by
 * SGLang (0.5 protocol, fake): vectors in input order, the engine's dimension, the served name.
 */
@QuarkusTest
@QuarkusTestResource(value = RemoteEmbeddingsApiTest.Engines.class, restrictToAnnotatedClass = true)
class RemoteEmbeddingsApiTest {

    static final String VLLM_EMBEDDER = "BAAI/bge-small-en-v1.5";
    static final String SGLANG_EMBEDDER = "Alibaba-NLP/gte-Qwen2-1.5B-instruct";

    public static class Engines implements QuarkusTestResourceLifecycleManager {
        static FakeEngineProcess vllm;
        static FakeEngineProcess sglang;

        @Override
        public Map<String, String> start() {
            vllm = FakeEngineProcess.vllm(VLLM_EMBEDDER, "--runner", "pooling");
            sglang = FakeEngineProcess.sglang(SGLANG_EMBEDDER);
            return Map.of("infercore.vllm.base_url", vllm.baseUrl(), "infercore.sglang.base_url", sglang.baseUrl());
        }

        @Override
        public void stop() {
            if (vllm != null) {
                vllm.close();
            }
            if (sglang != null) {
                sglang.close();
            }
        }
    }

    static Response embed(String engine, String model, String input) {
        return given().contentType(ContentType.JSON)
                .body("{\"engine_type\":\"" + engine + "\",\"model_name\":\"" + model + "\",\"input\":" + input + "}")
                .when().post("/api/v1/llm/embed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_embed_a_list_in_order_through_the_service(String engine) {
        String model = engine.equals("vllm") ? VLLM_EMBEDDER : SGLANG_EMBEDDER;
        Response both = embed(engine, model, "[\"a cat\",\"stock markets\"]");
        both.then().statusCode(200);
        assertThat(both.jsonPath().getString("data.engine_type")).isEqualTo(engine);
        assertThat(both.jsonPath().getString("data.model_name")).isEqualTo(model);
        int dimensions = both.jsonPath().getInt("data.dimensions");
        List<List<Float>> vectors = both.jsonPath().getList("data.embeddings");
        assertThat(vectors).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(dimensions));

        List<List<Float>> second = embed(engine, model, "\"stock markets\"").jsonPath().getList("data.embeddings");
        assertThat(second.get(0)).isEqualTo(vectors.get(1));
    }

    @Test
    void should_refuse_embeddings_on_a_vllm_model_it_does_not_serve() {
        ValidationTableTest.assertEnvelope(embed("vllm", "no/such-model", "\"x\""), 404, "no/such-model");
    }
}
