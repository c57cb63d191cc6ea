package io.infercore.api.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.support.CliProcess;
import io.infercore.support.ClientScripts;
import io.infercore.support.Scrape;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * Rerank on {@code /v1/rerank} (Jina / Cohere shape) and {@code /api/v1/llm/rerank} (envelope),
 * passed to the {@code /v1/rerank} of the fake vLLM 0.11 and SGLang 0.5 of {@link RerankEngineResource}; and
 * the 400 that names the engines that rerank when the request names none (infercore embeds no reranker);
 * and the official {@code cohere} Python SDK ({@code src/test/clients/rerank_client.py}) on {@code /v1/rerank}.
 */
@QuarkusTest
@WithTestResource(RerankEngineResource.class)
class RerankTest {

    static final String MODEL = RerankEngineResource.MODEL;
    @TestHTTPResource("/")
    URL base;

    static final String DOCS = "[\"hi\",{\"text\":\"The giant panda is a bear\"},\"a panda\"]";

    @AfterEach
    void reset() {
        RerankEngineResource.vllm.resetKnobs();
        RerankEngineResource.sglang.resetKnobs();
    }

    static ValidatableResponse post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    @Test
    void should_rerank_through_vllm_best_first_in_jinas_shape() {
        post("/v1/rerank", "{\"model\":\"" + MODEL + "\",\"query\":\"What is a panda?\",\"documents\":" + DOCS
                + ",\"return_documents\":true}").statusCode(200)
                .body("model", equalTo(MODEL))
                .body("results.index", equalTo(List.of(1, 2, 0)))
                .body("results[0].relevance_score", equalTo(0.7495f))
                .body("results[1].relevance_score", equalTo(0.5f))
                .body("results[0].document.text", equalTo("The giant panda is a bear"))
                .body("usage.total_tokens", equalTo(4 * 3 + 1 + 6 + 2));

        JsonNode sent = RerankEngineResource.vllm.lastRequest("/v1/rerank");
        assertThat(sent.path("model").asText()).isEqualTo(MODEL);
        assertThat(sent.path("documents").toString()).isEqualTo("[\"hi\",\"The giant panda is a bear\",\"a panda\"]");
        assertThat(sent.has("top_n")).isFalse(); // vLLM's default: every document
    }

    @Test
    void should_pass_top_n_and_leave_documents_out_unless_asked() {
        post("/v1/rerank", "{\"model\":\"vllm/" + MODEL + "\",\"query\":\"panda\",\"documents\":" + DOCS
                + ",\"top_n\":2}").statusCode(200)
                .body("results", hasSize(2)).body("results.index", equalTo(List.of(1, 2)))
                .body("results[0].document", nullValue());
        assertThat(RerankEngineResource.vllm.lastRequest("/v1/rerank").path("top_n").asInt()).isEqualTo(2);
    }

    @Test
    void should_rerank_through_sglang_and_keep_its_top_n_here() {
        post("/v1/rerank", "{\"model\":\"" + RerankEngineResource.SGLANG_MODEL + "\",\"query\":\"What is a panda?\","
                + "\"documents\":" + DOCS + ",\"top_n\":2,\"return_documents\":true}").statusCode(200)
                .body("model", equalTo(RerankEngineResource.SGLANG_MODEL))
                .body("results.index", equalTo(List.of(1, 2)))
                .body("results[0].relevance_score", equalTo(0.7495f))
                .body("results[1].document.text", equalTo("a panda"))
                .body("usage.total_tokens", equalTo(4 * 3 + 1 + 6 + 2));
        JsonNode sent = RerankEngineResource.sglang.lastRequest("/v1/rerank");
        assertThat(sent.has("top_n")).isFalse();
        assertThat(sent.path("documents")).hasSize(3);
    }

    @Test
    void should_rerank_in_the_envelope_on_api_v1() {
        post("/api/v1/llm/rerank", "{\"engine_type\":\"vllm\",\"model_name\":\"" + MODEL + "\",\"query\":\"panda bear\","
                + "\"documents\":" + DOCS + ",\"top_n\":1,\"return_documents\":true}").statusCode(200)
                .body("code", equalTo(200))
                .body("data.engine_type", equalTo("vllm")).body("data.model_name", equalTo(MODEL))
                .body("data.results", hasSize(1)).body("data.results[0].index", equalTo(1))
                .body("data.results[0].relevance_score", equalTo(0.999f))
                .body("data.results[0].document.text", equalTo("The giant panda is a bear"));
    }

    @Test
    void should_name_the_engines_that_rerank_when_none_is_named() {
        post("/v1/rerank", "{\"query\":\"panda\",\"documents\":[\"a\"]}").statusCode(400)
                .body("error.message", containsString("[sglang, vllm]")).body("error.param", equalTo("model"))
                .body("error.type", equalTo("invalid_request_error"));
        post("/v1/rerank", "{\"model\":\"stories260k\",\"query\":\"panda\",\"documents\":[\"a\"]}").statusCode(400)
                .body("error.message", containsString("Engine 'llamacpp' does not rerank"));
        post("/api/v1/llm/rerank", "{\"engine_type\":\"llamacpp\",\"model_name\":\"x\",\"query\":\"panda\","
                + "\"documents\":[\"a\"]}").statusCode(400)
                .body("code", equalTo(400)).body("msg", containsString("Engine 'llamacpp' does not rerank"))
                .body("msg", containsString("[sglang, vllm]"));
    }

    @Test
    void should_refuse_bad_input_before_calling_the_engine() {
        int before = RerankEngineResource.vllm.stats().path("requests").path("/v1/rerank").asInt();
        String head = "{\"model\":\"vllm/" + MODEL + "\",";
        post("/v1/rerank", head + "\"query\":\"q\",\"documents\":[]}").statusCode(400).body("error.param", equalTo("documents"));
        post("/v1/rerank", head + "\"query\":\"q\",\"documents\":[1]}").statusCode(400)
                .body("error.message", containsString("documents[0]"));
        post("/v1/rerank", head + "\"query\":\"\",\"documents\":[\"a\"]}").statusCode(400).body("error.param", equalTo("query"));
        post("/v1/rerank", head + "\"query\":\"q\",\"documents\":[\"a\"],\"top_n\":0}").statusCode(400)
                .body("error.param", equalTo("top_n"));
        post("/api/v1/llm/rerank", "{\"engine_type\":\"vllm\",\"model_name\":\"m\",\"query\":\"q\",\"documents\":[\"a\"],"
                + "\"extra\":1}").statusCode(400).body("msg", containsString("unknown field 'extra'"));
        post("/v1/rerank", "{\"model\":\"no-such-reranker\",\"query\":\"q\",\"documents\":[\"a\"]}").statusCode(404);
        assertThat(RerankEngineResource.vllm.stats().path("requests").path("/v1/rerank").asInt()).isEqualTo(before);
    }

    @Test
    void should_pass_an_engine_failure_on_with_its_status() {
        RerankEngineResource.vllm.setKnob("error_status", 503);
        post("/v1/rerank", "{\"model\":\"vllm/" + MODEL + "\",\"query\":\"q\",\"documents\":[\"a\"]}").statusCode(503)
                .body("error.type", equalTo("api_error"));
    }

    @Test
    void should_serve_the_official_cohere_python_sdk() throws Exception {
        CliProcess.Result run = ClientScripts.run("rerank_client.py", base.toString().replaceAll("/$", ""), MODEL);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode facts = new ObjectMapper().readTree(ClientScripts.lastLine(run));
        assertThat(facts.path("id").asText()).startsWith("rerank-");
        assertThat(facts.path("scores").get(0).asDouble()).isEqualTo(0.7495);
    }

    @Test
    void should_count_reranks_under_their_route_and_engine() {
        double before = Scrape.now().sum("infercore_requests_total", "route", "/v1/rerank", "engine", "vllm",
                "status", "200");
        post("/v1/rerank", "{\"model\":\"vllm/" + MODEL + "\",\"query\":\"q\",\"documents\":[\"a\"]}").statusCode(200);
        await().untilAsserted(() -> assertThat(Scrape.now().sum("infercore_requests_total", "route", "/v1/rerank",
                "engine", "vllm", "status", "200")).isEqualTo(before + 1));
    }
}
