package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The catalog endpoint, every start field the catalog or engine cannot honour (a 400 in the
 * envelope naming what would work), and the built-in models listed and routable as runs.
 */
@QuarkusTest
class ModelsApiTest {

    static final String START = "/api/v1/models/start";

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    @Test
    void should_list_llm_and_embedding_models_with_their_options() {
        given().when().get("/api/v1/models").then().statusCode(200)
                .body("code", is(200))
                .body("data.id", hasItems("qwen2-0.5b", "llama3.2", "smollm2-135m", "all-minilm-l6-v2"))
                .body("data.find { it.id == 'llama3.2' }.sizes.size", hasItems("1B", "3B"))
                .body("data.find { it.id == 'qwen2-0.5b' }.sizes[0].hf_repo", is("Qwen/Qwen2-0.5B-Instruct"))
                .body("data.find { it.id == 'qwen2-0.5b' }.sizes[0].ollama_name", is("qwen2:0.5b"))
                .body("data.find { it.id == 'qwen2-0.5b' }.engines", hasItems("ollama", "vllm", "sglang"))
                .body("data.find { it.id == 'smollm2-135m' }.sizes[0].gguf.file", is("SmolLM2-135M-Instruct.Q4_1.gguf"));
        given().queryParam("model_type", "embedding").when().get("/api/v1/models").then().statusCode(200)
                .body("data.id", hasItems("all-minilm-l6-v2", "bge-m3", "qwen3-embedding"))
                .body("data.model_type", everyItem(is("embedding")));
        given().queryParam("model_type", "vision").when().get("/api/v1/models").then().statusCode(400)
                .body("msg", containsString("model_type must be one of [embedding, llm, rerank], not 'vision'"));
    }

    static Stream<Arguments> badStarts() {
        String qwen = "\"model_id\":\"qwen2-0.5b\",";
        String smol = "\"model_id\":\"smollm2-135m\",\"engine_type\":\"llamacpp\",";
        return Stream.of(
                arguments("{}", "model_id is required"),
                arguments("{\"model_id\":\"gpt-9\",\"engine_type\":\"vllm\"}", "Unknown model_id 'gpt-9'; the catalog"),
                arguments("{" + qwen + "\"size\":\"0.5B\"}", "engine_type is required; qwen2-0.5b runs on"),
                arguments("{" + qwen + "\"engine_type\":\"tgi\"}", "Unknown engine_type 'tgi'"),
                arguments("{" + qwen + "\"engine_type\":\"llamacpp\"}", "runs on [ollama, vllm, sglang], not on llamacpp"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"size\":\"7B\"}", "has sizes [0.5B], not '7B'"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"quantization\":\"q2\"}", "offers quantizations [none, int4, int8]"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"quantization\":\"int8\"}", "no on-the-fly int8"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"format\":\"onnx\"}", "comes in formats [pytorch, safetensors]"),
                arguments("{\"model_id\":\"smollm2-135m\",\"engine_type\":\"vllm\",\"format\":\"gguf\"}",
                        "run GGUF files with engine_type llamacpp"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"n_gpu\":-1}", "n_gpu must be between 0 and 64"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"n_gpu\":1.5}", "field 'n_gpu' has the wrong type"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"replicas\":0}", "replicas must be between 1 and 8"),
                arguments("{" + qwen + "\"engine_type\":\"sglang\",\"replicas\":9}", "replicas must be between 1 and 8"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"enable_thinking\":\"yes\"}", "field 'enable_thinking' has the wrong type"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"surprise\":1}", "unknown field 'surprise'"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"engine_args\":{\"port\":1}}", "engine_args.port cannot be set"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"engine_args\":{\"dtype\":\"--api-key=x\"}}", "not starting with '-'"),
                arguments("{" + qwen + "\"engine_type\":\"sglang\",\"engine_args\":{\"max_model_len\":1}}", "allowed: [chat_template"),
                arguments("{" + qwen + "\"engine_type\":\"ollama\",\"replicas\":2}", "Ollama serves a model once per server"),
                arguments("{" + qwen + "\"engine_type\":\"ollama\",\"n_gpu\":1}", "Ollama places model layers on GPUs itself"),
                arguments("{" + qwen + "\"engine_type\":\"ollama\",\"quantization\":\"int4\"}", "through the tag in ollama_name"),
                arguments("{" + qwen + "\"engine_type\":\"ollama\",\"format\":\"pytorch\"}", "Ollama runs GGUF models only"),
                arguments("{" + qwen + "\"engine_type\":\"ollama\",\"engine_args\":{\"top_k\":4}}", "supported: [keep_alive, num_ctx]"),
                arguments("{" + qwen + "\"engine_type\":\"ollama\",\"engine_args\":{\"num_ctx\":0}}", "num_ctx must be a positive whole number"),
                arguments("{" + qwen + "\"engine_type\":\"vllm\",\"enable_thinking\":true}",
                        "'qwen2-0.5b' has no thinking mode: its abilities are [chat, generate, tools]"),
                arguments("{\"model_id\":\"qwen3\",\"engine_type\":\"vllm\",\"quantization\":\"int8\"}",
                        "offers quantizations [none, int4, fp8] on vllm, not 'int8'"),
                arguments("{\"model_id\":\"bge-reranker-v2-m3\",\"engine_type\":\"ollama\"}", "runs on [vllm], not on ollama"),
                arguments("{" + qwen + "\"engine_type\":\"ollama\",\"engine_args\":{\"keep_alive\":\"forever\"}}", "keep_alive must be seconds"),
                arguments("{" + smol + "\"n_gpu\":1}", "the embedded engine runs on the CPU"),
                arguments("{" + smol + "\"replicas\":2}", "serves each model once"),
                arguments("{" + smol + "\"enable_thinking\":true}", "'smollm2-135m' has no thinking mode"),
                arguments("{" + smol + "\"engine_args\":{\"top_k\":5}}", "takes no launch arguments"),
                arguments("{" + smol + "\"quantization\":\"none\"}", "is quantized as q4_1"),
                arguments("{\"model_id\":\"smollm2-135m\",\"engine_type\":\"vllm\",\"quantization\":\"q4_1\"}",
                        "is a GGUF quantization, served by the llamacpp engine"),
                arguments("{\"model_id\":\"smollm2-135m\",\"engine_type\":\"sglang\",\"quantization\":\"q4_1\"}",
                        "is a GGUF quantization, served by the llamacpp engine"),
                arguments("{\"model_id\":\"all-minilm-l6-v2\",\"engine_type\":\"llamacpp\"}", "built in and always running"),
                arguments("{\"model_id\":\"all-minilm-l6-v2\",\"engine_type\":\"vllm\",\"enable_thinking\":true}",
                        "is an embedding model: it has no thinking mode"),
                arguments("{\"model_id\":\"llama3.2\",\"engine_type\":\"ollama\",\"size\":\"70B\"}", "has sizes [1B, 3B]"),
                arguments("", "request body is required"));
    }

    @ParameterizedTest
    @MethodSource("badStarts")
    void should_refuse_a_start_field_that_cannot_be_honoured_with_a_400_envelope(String body, String fragment) {
        post(START, body).then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("code", is(400))
                .body("msg", containsString(fragment))
                .body("data", nullValue())
                .body("request_id", not(emptyString()));
    }

    @Test
    void should_refuse_a_bad_start_stream_with_a_plain_400_envelope_not_a_stream() {
        post("/api/v1/models/start-stream", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"replicas\":0}")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("msg", containsString("replicas must be between 1 and 8"));
    }

    @Test
    void should_list_the_builtin_models_as_runs_and_serve_them_by_run_id() {
        Response running = given().when().get("/api/v1/models/running");
        running.then().statusCode(200)
                .body("data.find { it.run_id == 'builtin-default' }.status", is("running"))
                .body("data.find { it.run_id == 'builtin-default' }.model_name", is("stories260k"))
                .body("data.find { it.run_id == 'builtin-default' }.mode", is("builtin"))
                .body("data.find { it.run_id == 'builtin-embedding' }.model_type", is("embedding"));

        post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\",\"run_id\":\"builtin-default\",\"max_tokens\":4}")
                .then().statusCode(200).body("data.engine_type", is("llamacpp")).body("data.model_name", is("stories260k"));
        post("/api/v1/llm/embed", "{\"input\":\"hello\",\"run_id\":\"builtin-embedding\"}")
                .then().statusCode(200);
        post("/api/v1/llm/generate", "{\"prompt\":\"hi\",\"run_id\":\"builtin-default\",\"engine_type\":\"ollama\"}")
                .then().statusCode(400).body("msg", containsString("runs on llamacpp, not ollama"));
        post("/api/v1/models/running/builtin-default/stop", "").then().statusCode(409)
                .body("msg", containsString("cannot be stopped"));
    }

    @Test
    void should_answer_404_naming_the_running_list_for_an_unknown_run() {
        for (Response r : List.of(post("/api/v1/models/running/nope-1/stop", ""),
                given().when().get("/api/v1/models/running/nope-1/logs"),
                given().when().get("/api/v1/models/running/nope-1"),
                post("/api/v1/llm/generate", "{\"prompt\":\"hi\",\"run_id\":\"nope-1\"}"),
                post("/api/v1/llm/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"run_id\":\"nope-1\"}"),
                post("/api/v1/llm/embed", "{\"input\":\"hi\",\"run_id\":\"nope-1\"}"))) {
            r.then().statusCode(404).body("msg", containsString("GET /api/v1/models/running"));
        }
    }
}
