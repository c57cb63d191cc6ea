package io.infercore.catalog;

import io.infercore.support.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** models.json: the shipped files load; a bad file fails naming the file, the JSON path and the reason. */
class CatalogReaderTest {

    static final String OK_SIZE = "{\"size\":\"1B\",\"hf_repo\":\"org/m\"}";

    static String model(String fields) {
        return "{\"id\":\"m\",\"name\":\"M\",\"sizes\":[" + OK_SIZE + "],\"engines\":[\"vllm\"]" + fields + "}";
    }

    @Test
    void should_load_the_shipped_catalog_the_example_and_the_builtin_list() throws Exception {
        for (String file : new String[] {"models.json", "models.example.json"}) {
            assertThat(CatalogReader.read(file, Files.readString(Path.of(file)), Engines.providers())).extracting(CatalogModel::id)
                    .contains("qwen2-0.5b", "llama3.2", "smollm2-135m", "all-minilm-l6-v2");
        }
        ModelCatalog.Loaded builtin = ModelCatalog.load(null, Optional.empty(), Path.of("no-such-models.json"), Engines.providers());
        assertThat(builtin.source()).isEqualTo("built-in list");
        CatalogModel smol = builtin.models().stream().filter(m -> m.id().equals("smollm2-135m")).findFirst().orElseThrow();
        assertThat(smol.sizes().get(0).gguf().sha256()).hasSize(64);
        assertThat(builtin.models()).filteredOn(CatalogModel::isEmbedding).extracting(CatalogModel::id)
                .contains("all-minilm-l6-v2", "bge-m3", "qwen3-embedding");
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                arguments("{\"models\": 3}", "$: must be an array"),
                arguments("[]", "$: lists no models"),
                arguments("[" + model("") + ",", "not valid JSON (line 1"),
                arguments("[" + model(",\"colour\":\"red\"") + "]", "$[0].colour: unknown field"),
                arguments("[{\"name\":\"M\",\"sizes\":[" + OK_SIZE + "],\"engines\":[\"vllm\"]}]", "$[0].id: is required"),
                arguments("[" + model("").replace("\"m\"", "\"-m\"") + "]", "$[0].id: must be a model id"),
                arguments("[" + model(",\"model_type\":\"vision\"") + "]", "$[0].model_type: must be \"llm\", \"embedding\" or \"rerank\""),
                arguments("[" + model("").replace("\"vllm\"", "\"tgi\"") + "]", "$[0].engines[0]: unknown engine 'tgi'"),
                arguments("[" + model("").replace(OK_SIZE, "{\"size\":\"1B\"}") + "]",
                        "$[0].sizes[0]: needs at least one of hf_repo, ollama_name, gguf"),
                arguments("[" + model("").replace("org/m", "--model=x") + "]", "$[0].sizes[0].hf_repo: must be a Hugging Face repo id"),
                arguments("[" + model("").replace(OK_SIZE, "{\"size\":\"1B\",\"gguf\":{\"repo\":\"o/r\",\"file\":\"../x.gguf\"}}") + "]",
                        "$[0].sizes[0].gguf.file"),
                arguments("[" + model("").replace(OK_SIZE, "{\"size\":\"1B\",\"gguf\":{\"repo\":\"o/r\",\"file\":\"x.gguf\",\"sha256\":\"abc\"}}") + "]",
                        "$[0].sizes[0].gguf.sha256: must be 64 hexadecimal digits"),
                arguments("[" + model("").replace(OK_SIZE, OK_SIZE + "," + OK_SIZE) + "]", "$[0].sizes[1].size: duplicate size '1B'"),
                arguments("[" + model("") + "," + model("") + "]", "$[1].id: duplicate id 'm' (also at $[0])"),
                arguments("[" + model(",\"quantizations\":[\"none\",\"none\"]") + "]", "$[0].quantizations[1]: duplicate value"),
                arguments("[" + model(",\"official_url\":\"ftp://x\"") + "]", "$[0].official_url: must be an http(s) URL"),
                arguments("[" + model(",\"abilities\":[\"chat\",\"telepathy\"]") + "]", "$[0].abilities[1]: unknown ability 'telepathy'"),
                arguments("[" + model(",\"model_type\":\"embedding\",\"abilities\":[\"chat\"]") + "]",
                        "$[0].abilities: a model of model_type embedding must list the ability embedding"),
                arguments("[" + model(",\"context_length\":0") + "]", "$[0].context_length: must be a whole number of tokens"),
                arguments("[" + model(",\"context_length\":\"32k\"") + "]", "$[0].context_length: must be a whole number"),
                arguments("[" + model("").replace(OK_SIZE, "{\"size\":\"1B\",\"hf_repo\":\"o/r\",\"context_length\":-5}") + "]",
                        "$[0].sizes[0].context_length: must be a whole number"),
                arguments("[" + model(",\"gated\":\"yes\"") + "]", "$[0].gated: must be true or false"),
                arguments("[" + model(",\"license\":\"--x\"") + "]", "$[0].license: must be a licence name"),
                arguments("[" + model(",\"parsers\":{\"vllm\":{\"tool_call\":\"hermes\"}}") + "]",
                        "$[0].parsers.vllm.tool_call: a tool-call parser needs the ability \"tools\""),
                arguments("[" + model(",\"abilities\":[\"chat\",\"reasoning\"],\"parsers\":{\"ollama\":{\"reasoning\":\"x\"}}") + "]",
                        "$[0].parsers.ollama: unknown field; allowed: [sglang, vllm]"),
                arguments("[" + model(",\"abilities\":[\"chat\",\"reasoning\"],\"parsers\":{\"vllm\":{\"reasoning\":\"--x\"}}") + "]",
                        "$[0].parsers.vllm.reasoning: must be a parser name"),
                arguments("[" + model(",\"per_engine\":{\"ollama\":{\"formats\":[\"gguf\"]}}") + "]",
                        "$[0].per_engine.ollama: the model does not run on ollama"),
                arguments("[" + model(",\"quantizations\":[\"none\"],\"per_engine\":{\"vllm\":{\"quantizations\":[\"fp8\"]}}") + "]",
                        "$[0].per_engine.vllm.quantizations[0]: 'fp8' is not in the model's quantizations [none]"),
                arguments("[" + model("").replace(OK_SIZE, "{\"size\":\"1B\",\"gguf\":{\"url\":\"https://x.example/m.gguf\"}}") + "]",
                        "$[0].sizes[0].gguf.sha256: is required"),
                arguments("[" + model("").replace(OK_SIZE, "{\"size\":\"1B\",\"gguf\":{\"url\":\"file:///etc/m.gguf\",\"sha256\":\"" + "a".repeat(64) + "\"}}") + "]",
                        "$[0].sizes[0].gguf.url: must be an http(s) URL of a .gguf file"),
                arguments("[" + model("").replace(OK_SIZE, "{\"size\":\"1B\",\"local_path\":\"relative/dir\"}") + "]",
                        "$[0].sizes[0].local_path: must be an absolute path"));
    }

    @ParameterizedTest
    @MethodSource("broken")
    void should_name_file_json_path_and_reason_for_a_bad_catalog(String json, String expected) {
        assertThatThrownBy(() -> CatalogReader.read("/etc/models.json", json, Engines.providers()))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("/etc/models.json: ")
                .hasMessageContaining(expected);
    }

    @Test
    void should_ship_a_catalog_of_at_least_40_valid_models_with_unique_ids_and_names() throws Exception {
        List<CatalogModel> models = CatalogReader.read("models.json", Files.readString(Path.of("models.json")), Engines.providers());
        assertThat(models).hasSizeGreaterThanOrEqualTo(40);
        assertThat(models.stream().mapToInt(m -> m.sizes().size()).sum()).isGreaterThanOrEqualTo(60);
        assertThat(models.stream().map(m -> m.id().toLowerCase(java.util.Locale.ROOT)).distinct()).hasSize(models.size());
        assertThat(models.stream().map(m -> m.name().toLowerCase(java.util.Locale.ROOT)).distinct()).hasSize(models.size());
        assertThat(models).allSatisfy(m -> {
            assertThat(m.abilities()).as(m.id()).isNotEmpty();
            assertThat(m.enforcedAbilities()).as(m.id() + " declares its abilities").isNotNull();
            assertThat(m.engines()).as(m.id()).isNotEmpty();
            m.parsers().keySet().forEach(e -> assertThat(m.engines()).as(m.id() + " parsers").contains(e));
        });
        assertThat(models).filteredOn(m -> m.modelType().equals(CatalogModel.RERANK)).extracting(CatalogModel::id)
                .contains("bge-reranker-v2-m3");
        assertThat(models).extracting(CatalogModel::id).contains("qwen3", "qwen3-coder", "qwen2.5-vl", "llama3.1",
                "llama3.3", "gemma3", "mistral-7b-instruct", "ministral-8b", "phi4", "deepseek-r1-distill-qwen",
                "smollm2", "smollm3", "gpt-oss", "bge-m3", "nomic-embed-text", "qwen3-embedding");
        assertThat(Files.readString(Path.of("src/main/resources/io/infercore/catalog/" + ModelCatalog.BUILTIN)))
                .as("the built-in list is the shipped catalog").isEqualTo(Files.readString(Path.of("models.json")), Engines.providers());
        CatalogModel qwen3 = models.stream().filter(m -> m.id().equals("qwen3")).findFirst().orElseThrow();
        assertThat(qwen3.contextLength(qwen3.sizes().get(0))).isEqualTo(32768);
        assertThat(qwen3.parsers().get("vllm")).isEqualTo(new CatalogModel.Parsers("hermes", "qwen3"));
        assertThat(qwen3.quantizationsOn("sglang")).contains("int8");
        assertThat(qwen3.quantizationsOn("vllm")).doesNotContain("int8");
    }

    @Test
    void should_read_every_documented_field_of_the_example() throws Exception {
        CatalogModel full = CatalogReader.read("models.example.json", Files.readString(Path.of("models.example.json")), Engines.providers())
                .stream().filter(m -> m.id().equals("example-every-field")).findFirst().orElseThrow();
        assertThat(full.abilities()).containsExactly("chat", "generate", "tools", "reasoning");
        assertThat(full.contextLength()).isEqualTo(32768);
        assertThat(full.contextLength(full.sizes().get(1))).isEqualTo(8192);
        assertThat(full.license()).isEqualTo("apache-2.0");
        assertThat(full.gated()).isTrue();
        assertThat(full.parsers().get("sglang")).isEqualTo(new CatalogModel.Parsers("qwen25", "qwen3"));
        assertThat(full.formatsOn("llamacpp")).containsExactly("gguf");
        assertThat(full.sizes().get(1).gguf().sha256()).hasSize(64);
    }

    @Test
    void should_derive_a_registrations_engines_and_formats_from_its_sources_and_refuse_an_engine_it_cannot_run() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        CatalogModel gguf = CatalogReader.readRegistration("registration", json.readTree(
                "{\"id\":\"mine\",\"sizes\":[{\"size\":\"1B\",\"gguf\":{\"url\":\"https://files.example/m-Q4_0.gguf\","
                        + "\"sha256\":\"" + "A".repeat(64) + "\"}},{\"size\":\"7B\",\"local_path\":\"/srv/models/m7\"}]}"), Engines.providers());
        assertThat(gguf.registered()).isTrue();
        assertThat(gguf.name()).isEqualTo("mine");
        assertThat(gguf.engines()).containsExactly("llamacpp", "vllm", "sglang");
        assertThat(gguf.formats()).containsExactly("gguf", "safetensors");
        assertThat(gguf.sizes().get(0).gguf().file()).isEqualTo("m-Q4_0.gguf");
        assertThat(gguf.sizes().get(0).gguf().sha256()).isEqualTo("a".repeat(64));
        assertThatThrownBy(() -> CatalogReader.readRegistration("registration", json.readTree(
                "{\"id\":\"o\",\"sizes\":[{\"size\":\"1B\",\"ollama_name\":\"x:1b\"}],\"engines\":[\"vllm\"]}"), Engines.providers()))
                .hasMessage("registration: $.engines[0]: no source of this model runs on vllm; its sources run on [ollama]");
    }

    @Test
    void should_fail_when_models_config_names_a_missing_file(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ModelCatalog.load(dir.resolve("gone.json").toString(), Optional.empty(), dir.resolve("x"), Engines.providers()))
                .hasMessageContaining("gone.json: model catalog not found (named by MODELS_CONFIG)");
        Path file = Files.writeString(dir.resolve("mine.json"), "[" + model("") + "]");
        assertThat(ModelCatalog.load(null, Optional.of(file.toString()), dir.resolve("x"), Engines.providers()).source()).isEqualTo(file.toString());
    }
}
