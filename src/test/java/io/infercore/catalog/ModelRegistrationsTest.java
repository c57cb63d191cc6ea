package io.infercore.catalog;

import io.infercore.support.Engines;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Custom registrations: validated, kept in models_dir across restarts, never over a built-in id. */
class ModelRegistrationsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ModelRegistrations store(Path dir) {
        return new ModelRegistrations(dir, id -> id.equalsIgnoreCase("qwen3"), Engines.providers());
    }

    @Test
    void should_keep_a_registration_across_a_restart_and_forget_it_once_deleted(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectory(dir.resolve("my-model"));
        ModelRegistrations first = store(dir);
        first.add(JSON.readTree("{\"id\":\"mine\",\"abilities\":[\"chat\"],\"context_length\":4096,"
                + "\"sizes\":[{\"size\":\"7B\",\"local_path\":\"" + model + "\"}]}"));
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).contains("registrations.json")
                .noneMatch(n -> n.endsWith(".tmp"));

        ModelRegistrations restarted = store(dir);
        CatalogModel mine = restarted.find("MINE").orElseThrow();
        assertThat(mine.registered()).isTrue();
        assertThat(mine.engines()).containsExactly("vllm", "sglang");
        assertThat(mine.contextLength()).isEqualTo(4096);
        assertThat(mine.enforcedAbilities()).containsExactly("chat");

        restarted.remove("mine");
        assertThat(store(dir).all()).isEmpty();
    }

    @Test
    void should_refuse_a_builtin_id_a_taken_id_a_missing_local_path_and_a_bad_entry(@TempDir Path dir) throws Exception {
        ModelRegistrations store = store(dir);
        String ok = "{\"id\":\"%s\",\"sizes\":[{\"size\":\"1B\",\"ollama_name\":\"x:1b\"}]}";
        assertThatThrownBy(() -> store.add(JSON.readTree(ok.formatted("Qwen3"))))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("built-in catalog model and cannot be overwritten");
        store.add(JSON.readTree(ok.formatted("mine")));
        assertThatThrownBy(() -> store.add(JSON.readTree(ok.formatted("mine"))))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThatThrownBy(() -> store.add(JSON.readTree("{\"id\":\"gone\",\"sizes\":[{\"size\":\"1B\",\"local_path\":\""
                + dir.resolve("nothing.gguf") + "\"}]}")))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining("$.sizes[0].local_path: " + dir.resolve("nothing.gguf") + " is not a readable .gguf file");
        assertThatThrownBy(() -> store.add(JSON.readTree("{\"id\":\"bad\",\"sizes\":[{\"size\":\"1B\"}]}")))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining("registration: $.sizes[0]: needs at least one of hf_repo, ollama_name, gguf, local_path");
        assertThatThrownBy(() -> store.remove("qwen3"))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThatThrownBy(() -> store.remove("nobody"))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(store(dir).all()).extracting(CatalogModel::id).containsExactly("mine");
    }

    @Test
    void should_stop_start_up_when_the_file_is_broken_naming_the_json_path(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("registrations.json"), "[{\"id\":\"qwen3\",\"sizes\":[{\"size\":\"1B\",\"hf_repo\":\"o/r\"}]}]");
        assertThatThrownBy(() -> store(dir)).isInstanceOf(CatalogException.class)
                .hasMessageContaining("registrations.json: $[0].id: 'qwen3' is a built-in catalog model");
    }
}
