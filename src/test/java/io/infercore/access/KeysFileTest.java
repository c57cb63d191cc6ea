package io.infercore.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysFileTest {

    @TempDir
    Path dir;

    @Test
    void should_read_json_with_per_key_models_and_rate() throws IOException {
        Path file = write("keys.json", """
                {"keys": [{"key": "sk-team-a-000", "name": "team-a", "models": ["m1", "ollama/*"], "requests_per_minute": 60},
                          "sk-plain-0000"]}""");
        List<KeysFile.Entry> entries = KeysFile.read(file);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).name()).isEqualTo("team-a");
        assertThat(entries.get(0).models()).containsExactly("m1", "ollama/*");
        assertThat(entries.get(0).requestsPerMinute()).isEqualTo(60);
        assertThat(entries.get(1).models()).isEmpty();
        assertThat(entries.get(1).requestsPerMinute()).isNull();
    }

    @Test
    void should_read_the_line_format_with_comments() throws IOException {
        Path file = write("keys.txt", """
                # team keys
                sk-team-a-000  name=team-a  models=m1,vllm/Qwen/Qwen2-0.5B-Instruct  requests_per_minute=10

                sk-admin-0000
                """);
        List<KeysFile.Entry> entries = KeysFile.read(file);
        assertThat(entries).extracting(KeysFile.Entry::key).containsExactly("sk-team-a-000", "sk-admin-0000");
        assertThat(entries.get(0).models()).isEqualTo(Set.of("m1", "vllm/Qwen/Qwen2-0.5B-Instruct"));
        assertThat(entries.get(0).requestsPerMinute()).isEqualTo(10);
    }

    @Test
    void should_name_the_line_and_field_at_fault_but_never_the_key() throws IOException {
        Path unknown = write("a.txt", "sk-secret-key-1 colour=blue\n");
        assertThatThrownBy(() -> KeysFile.read(unknown)).hasMessageContaining("line 1").hasMessageContaining("'colour'")
                .hasMessageNotContaining("sk-secret-key-1");
        Path shortKey = write("b.json", "[{\"key\": \"abc\"}]");
        assertThatThrownBy(() -> KeysFile.read(shortKey)).hasMessageContaining("entry 1").hasMessageContaining("too short")
                .hasMessageNotContaining("\"abc\"");
        Path badJson = write("c.json", "[{\"key\": \"sk-secret-key-2\" \"models\": 1}]");
        assertThatThrownBy(() -> KeysFile.read(badJson)).hasMessageContaining("not valid JSON (line 1")
                .hasMessageNotContaining("sk-secret-key-2");
        Path badRate = write("d.json", "[{\"key\": \"sk-secret-key-3\", \"requests_per_minute\": 0}]");
        assertThatThrownBy(() -> KeysFile.read(badRate)).hasMessageContaining("requests_per_minute must be a positive integer");
    }

    @Test
    void should_match_keys_by_hash_and_models_by_name_engine_or_wildcard() throws IOException {
        ApiKeys keys = new ApiKeys(List.of("sk-config-key-1"), write("k.txt", "sk-file-key-01 models=m1,ollama/*\n"));
        assertThat(keys.required()).isTrue();
        assertThat(keys.find("sk-config-key-1").name()).isEqualTo("key 1");
        assertThat(keys.find("sk-config-key-2")).isNull();
        assertThat(keys.find("")).isNull();
        ApiKey limited = keys.find("sk-file-key-01");
        assertThat(limited.name()).isEqualTo("file key 1");
        assertThat(limited.allows("llamacpp", "m1")).isTrue();
        assertThat(limited.allows("ollama", "llama3.2")).isTrue();
        assertThat(limited.allows("vllm", "m2")).isFalse();
        assertThat(limited.toString()).doesNotContain("sk-file-key-01");
        assertThat(new ApiKeys(List.of(), null).required()).isFalse();
        assertThatThrownBy(() -> new ApiKeys(List.of("short"), null)).hasMessageContaining("key 1 is shorter than 8")
                .hasMessageNotContaining("short\"");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
