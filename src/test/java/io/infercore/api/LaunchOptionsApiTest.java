package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /api/v1/models/{name}/launch-options}: what the launch form may offer, per size and
 * engine, as each engine's launcher rules it over the built-in catalog (the same rules
 * {@code POST /start} enforces).
 */
@QuarkusTest
class LaunchOptionsApiTest {

    private static final String PATH = "/api/v1/models/{name}/launch-options";

    @Test
    void should_give_each_engine_of_a_size_its_own_quantizations_formats_gpus_replicas_and_args() {
        given().when().get(PATH, "llama3.2").then().statusCode(200)
                .body("code", is(200))
                // vLLM: no on-the-fly int8, no GGUF labels, checkpoint formats only, GPUs and replicas
                .body("data.'1B'.find { it.engine == 'vllm' }.ok", is(true))
                .body("data.'1B'.find { it.engine == 'vllm' }.quantizations", contains("none", "int4"))
                .body("data.'1B'.find { it.engine == 'vllm' }.formats", contains("pytorch", "safetensors"))
                .body("data.'1B'.find { it.engine == 'vllm' }.gpu.max", is(64))
                .body("data.'1B'.find { it.engine == 'vllm' }.gpu.value", is(1))
                .body("data.'1B'.find { it.engine == 'vllm' }.replicas.max", is(8)) // supervisor.max_replicas
                .body("data.'1B'.find { it.engine == 'vllm' }.engine_args", hasEntry("max_model_len", "int"))
                .body("data.'1B'.find { it.engine == 'vllm' }.source", is("meta-llama/Llama-3.2-1B-Instruct"))
                // SGLang takes int8
                .body("data.'1B'.find { it.engine == 'sglang' }.quantizations", contains("none", "int4", "int8"))
                .body("data.'1B'.find { it.engine == 'sglang' }.engine_args", hasEntry("context_length", "int"))
                // Ollama: as published, GGUF, it places layers itself, one replica
                .body("data.'1B'.find { it.engine == 'ollama' }.quantizations", contains("none"))
                .body("data.'1B'.find { it.engine == 'ollama' }.formats", contains("gguf"))
                .body("data.'1B'.find { it.engine == 'ollama' }.gpu", nullValue())
                .body("data.'1B'.find { it.engine == 'ollama' }.replicas.max", is(1))
                .body("data.'1B'.find { it.engine == 'ollama' }.engine_args", hasEntry("keep_alive", "duration"))
                .body("data.'1B'.find { it.engine == 'ollama' }.source", is("llama3.2:1b"))
                // embedded: the GGUF file's own quantization, no thinking mode, no launch arguments
                .body("data.'1B'.find { it.engine == 'llamacpp' }.quantizations", contains("q4_k_m"))
                .body("data.'1B'.find { it.engine == 'llamacpp' }.thinking", contains("off"))
                .body("data.'1B'.find { it.engine == 'llamacpp' }.engine_args.size()", is(0))
                .body("data.'1B'.find { it.engine == 'vllm' }.thinking", contains("off"));
    }

    @Test
    void should_say_why_a_size_cannot_run_on_an_engine_and_offer_thinking_to_reasoning_models() {
        given().when().get(PATH, "qwen3").then().statusCode(200)
                .body("data.'1.7B'.find { it.engine == 'llamacpp' }.ok", is(false))
                .body("data.'1.7B'.find { it.engine == 'llamacpp' }.why", is("no_gguf"))
                .body("data.'1.7B'.find { it.engine == 'llamacpp' }.quantizations", empty())
                .body("data.'0.6B'.find { it.engine == 'llamacpp' }.ok", is(true))
                .body("data.'1.7B'.find { it.engine == 'vllm' }.thinking", contains("on", "off"));
        given().when().get(PATH, "qwen2.5-vl").then().statusCode(200)
                .body("data.'3B'.find { it.engine == 'ollama' }.why", is("no_ollama_name"));
    }

    @Test
    void should_answer_404_in_the_envelope_for_an_unknown_model() {
        given().when().get(PATH, "no-such-model").then().statusCode(404)
                .body("code", is(404))
                .body("msg", containsString("no-such-model"));
    }
}
