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

/** {@code <engine>.instances} in {@code config.json}: mapped, and each mistake a start-up error naming the key. */
class EngineInstancesConfigTest {

    @TempDir
    Path dir;

    @Test
    void should_map_named_instances_next_to_the_default_base_url() throws Exception {
        Path file = write("""
                {"ollama": {"base_url": "http://a:11434",
                            "instances": {"gpu2": {"base_url": "http://b:11434"},
                                          "edge-1": {"base_url": "http://c:11434", "api_key": "sk-edge-proxy-key"}}},
                 "vllm": {"instances": {"box1": {"base_url": "http://box1:8000"}}}}""");
        Map<String, String> props = ConfigJsonSourceProvider.read(file);
        assertThat(props).containsEntry("infercore.ollama.instances.gpu2.base_url", "http://b:11434");

        InfercoreConfig config = mapped(props, file);
        assertThat(config.ollama().baseUrl()).isEqualTo("http://a:11434");
        assertThat(config.ollama().instances()).containsOnlyKeys("gpu2", "edge-1");
        assertThat(config.ollama().instances().get("gpu2").apiKey()).isEmpty();
        assertThat(config.ollama().instances().get("edge-1").apiKey()).contains("sk-edge-proxy-key");
        assertThat(config.vllm().instances().get("box1").baseUrl()).isEqualTo("http://box1:8000");
        assertThat(config.sglang().instances()).as("no instances: an empty map, today's config unchanged").isEmpty();
    }

    @Test
    void should_refuse_an_instance_name_that_cannot_be_written_in_a_model_name() throws Exception {
        for (String name : new String[] {"GPU2", "gpu_2", "a/b", "a:b", ""}) {
            Path file = write("{\"ollama\": {\"instances\": {\"" + name + "\": {\"base_url\": \"http://b:11434\"}}}}");
            assertThatThrownBy(() -> ConfigJsonSourceProvider.read(file)).as(name)
                    .hasMessageContaining(file.toString()).hasMessageContaining("ollama.instances." + name)
                    .hasMessageContaining("not a valid instance name").hasMessageContaining("ollama:<instance>/<model>");
        }
    }

    @Test
    void should_refuse_an_instance_without_base_url() throws Exception {
        Path file = write("{\"sglang\": {\"instances\": {\"box1\": {\"api_key\": \"sk-missing-url-key\"}}}}");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(file))
                .hasMessageContaining("'sglang.instances.box1' needs a base_url")
                .hasMessageNotContaining("sk-missing-url-key");
    }

    @Test
    void should_refuse_a_server_configured_twice() throws Exception {
        Path twice = write("""
                {"vllm": {"instances": {"box1": {"base_url": "http://box1:8000"},
                                        "box2": {"base_url": "http://BOX1:8000/"}}}}""");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(twice))
                .hasMessageContaining("'vllm.instances.box2.base_url' repeats http://BOX1:8000/")
                .hasMessageContaining("vllm.instances.box1.base_url");

        Path asDefault = write("{\"ollama\": {\"instances\": {\"local\": {\"base_url\": \"http://localhost:11434\"}}}}");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(asDefault))
                .as("the default base_url, even when not written, is the default instance's")
                .hasMessageContaining("'ollama.instances.local.base_url' repeats").hasMessageContaining("'ollama.base_url'");
    }

    @Test
    void should_check_the_keys_and_types_inside_an_instance() throws Exception {
        Path unknown = write("{\"ollama\": {\"instances\": {\"b\": {\"base_url\": \"http://b:1\", \"timeouts\": {}}}}}");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(unknown))
                .hasMessageContaining("'ollama.instances.b.timeouts' is not a known key");
        Path notObject = write("{\"ollama\": {\"instances\": [\"http://b:1\"]}}");
        assertThatThrownBy(() -> ConfigJsonSourceProvider.read(notObject))
                .hasMessageContaining("'ollama.instances' must be an object of names to objects");
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
                .withConverter(Duration.class, 100, new DurationConverter())
                .build();
        return config.getConfigMapping(InfercoreConfig.class);
    }
}
