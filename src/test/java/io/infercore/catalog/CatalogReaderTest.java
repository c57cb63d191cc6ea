package io.infercore.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
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
            assertThat(CatalogReader.read(file, Files.readString(Path.of(file)))).extracting(CatalogModel::id)
                    .contains("qwen2-0.5b", "llama3.2", "smollm2-135m", "all-minilm-l6-v2");
        }
        ModelCatalog.Loaded builtin = ModelCatalog.load(null, Optional.empty(), Path.of("no-such-models.json"));
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
                arguments("[" + model(",\"official_url\":\"ftp://x\"") + "]", "$[0].official_url: must be an http(s) URL"));
    }

    @ParameterizedTest
    @MethodSource("broken")
    void should_name_file_json_path_and_reason_for_a_bad_catalog(String json, String expected) {
        assertThatThrownBy(() -> CatalogReader.read("/etc/models.json", json))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("/etc/models.json: ")
                .hasMessageContaining(expected);
    }

    @Test
    void should_fail_when_models_config_names_a_missing_file(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ModelCatalog.load(dir.resolve("gone.json").toString(), Optional.empty(), dir.resolve("x")))
                .hasMessageContaining("gone.json: model catalog not found (named by MODELS_CONFIG)");
        Path file = Files.writeString(dir.resolve("mine.json"), "[" + model("") + "]");
        assertThat(ModelCatalog.load(null, Optional.of(file.toString()), dir.resolve("x")).source()).isEqualTo(file.toString());
    }
}
