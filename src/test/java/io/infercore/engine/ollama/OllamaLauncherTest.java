package io.infercore.engine.ollama;

import io.infercore.catalog.CatalogModel;
import io.infercore.supervisor.CatalogFlagsTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog's context length becomes Ollama's {@code num_ctx}, capped, unless the request set it. */
class OllamaLauncherTest {

    @Test
    void should_add_nothing_the_catalog_does_not_state() throws Exception {
        CatalogModel plain = CatalogFlagsTest.model("{\"id\":\"p\",\"sizes\":[{\"size\":\"1B\",\"hf_repo\":\"o/r\",\"ollama_name\":\"p:1b\"}]}");
        assertThat(OllamaLauncher.catalogArgs(plain, plain.sizes().get(0), Map.of("keep_alive", 60))).containsOnlyKeys("keep_alive");
    }

    @Test
    void should_give_ollama_the_context_length_as_num_ctx_at_most_the_cap_unless_set() throws Exception {
        CatalogModel q = CatalogFlagsTest.model(CatalogFlagsTest.QWEN); // 32,768 tokens: Ollama would allocate the whole cache at load
        assertThat(OllamaLauncher.catalogArgs(q, q.sizes().get(0), Map.of()))
                .containsEntry("num_ctx", OllamaLauncher.DEFAULT_CONTEXT_CAP);
        assertThat(OllamaLauncher.catalogArgs(q, q.sizes().get(0), Map.of("num_ctx", 2048))).containsEntry("num_ctx", 2048);
        assertThat(OllamaLauncher.catalogArgs(q, q.sizes().get(0), Map.of("num_ctx", 65536))).containsEntry("num_ctx", 65536);
        CatalogModel small = CatalogFlagsTest.model("{\"id\":\"s\",\"context_length\":4096,"
                + "\"sizes\":[{\"size\":\"1B\",\"hf_repo\":\"o/r\",\"ollama_name\":\"s:1b\"}]}");
        assertThat(OllamaLauncher.catalogArgs(small, small.sizes().get(0), Map.of())).containsEntry("num_ctx", 4096);
    }
}
