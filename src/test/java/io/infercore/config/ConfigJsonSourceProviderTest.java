package io.infercore.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigJsonSourceProviderTest {

    @TempDir
    Path dir;

    @Test
    void should_expose_the_seed_keys_under_infercore() throws Exception {
        Path file = write("""
                {"default_model_name":"llama3.2","models_dir":"/data/models","hf_token":null,
                 "ollama":{"base_url":"http://gpu:11434"},
                 "vllm":{"base_url":null,"model_aliases":{"llama3.2":"Qwen/Qwen2-0.5B-Instruct"},
                         "gpu_memory_utilization":0.5},
                 "llamacpp":{"threads":1}}""");
        Map<String, String> props = ConfigJsonSourceProvider.read(file);
        assertThat(props)
                .containsEntry("infercore.default_model_name", "llama3.2")
                .containsEntry("infercore.ollama.base_url", "http://gpu:11434")
                .containsEntry("infercore.vllm.model_aliases.\"llama3.2\"", "Qwen/Qwen2-0.5B-Instruct")
                .containsEntry("infercore.vllm.gpu_memory_utilization", "0.5")
                .doesNotContainKey("infercore.hf_token")
                .doesNotContainKey("infercore.vllm.base_url");

        InfercoreConfig config = mapped(props, file);
        assertThat(config.ollama().baseUrl()).isEqualTo("http://gpu:11434");
        assertThat(config.vllm().modelAliases()).containsEntry("llama3.2", "Qwen/Qwen2-0.5B-Instruct");
        assertThat(config.llamacpp().threads()).isEqualTo(1);
        assertThat(config.hfToken()).isEmpty();
    }

    @Test
    void should_read_api_keys_and_never_echo_a_misplaced_secret() throws Exception {
        Path file = write("""
                {"api_keys": ["sk-json-key-0001", "sk-json,key-0002"], "api_keys_file": "/etc/infercore/keys.txt"}""");
        InfercoreConfig config = mapped(ConfigJsonSourceProvider.read(file), file);
        assertThat(config.apiKeys()).contains(java.util.List.of("sk-json-key-0001", "sk-json,key-0002"));
        assertThat(config.apiKeysFile()).contains("/etc/infercore/keys.txt");

        Path wrong = write("{\"vllm\": {\"api_key\": [\"sk-misplaced-0003\"]}}");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(wrong)).hasMessageContaining("'vllm.api_key' must be a string")
                .hasMessageNotContaining("sk-misplaced-0003");
    }

    @Test
    void should_name_the_file_and_position_of_malformed_json() throws Exception {
        Path file = write("{\"default_model_name\": \"x\",\n  \"models_dir\": }");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid JSON").hasMessageContaining("line 2");
    }

    @Test
    void should_refuse_a_root_that_is_not_an_object() throws Exception {
        Path file = write("[1]");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(file)).hasMessageContaining("JSON object at its root");
    }

    @Test
    void should_name_the_key_and_file_of_a_wrongly_typed_value() throws Exception {
        Path file = write("{\"llamacpp\":{\"threads\":\"many\"}}");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("llamacpp.threads")
                .hasMessageContaining("must be an integer").hasMessageContaining("many");
    }

    @Test
    void should_refuse_an_unknown_key() throws Exception {
        Path file = write("{\"ollama\":{\"base_ulr\":\"http://x\"}}");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("ollama.base_ulr")
                .hasMessageContaining("base_url");
    }

    @Test
    void should_accept_the_shipped_example() {
        Path example = Path.of("config.example.json");
        InfercoreConfig config = mapped(ConfigJsonSourceProvider.read(example), example);
        assertThat(config.vllm().gpuMemoryUtilization()).isEqualTo(0.65);
        assertThat(config.vllm().baseUrl()).isEmpty();
        assertThat(config.llamacpp().modelPath()).isEmpty();
    }

    private Path write(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    private static InfercoreConfig mapped(Map<String, String> props, Path file) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new MapBackedConfigSource("config.json (" + file + ")", props, 270) {
                })
                .withMapping(InfercoreConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "5s": Quarkus' syntax, not ISO-8601
                .build();
        return config.getConfigMapping(InfercoreConfig.class);
    }
}
