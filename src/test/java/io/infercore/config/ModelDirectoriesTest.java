package io.infercore.config;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ModelDirectoriesTest {

    @Inject
    ModelDirectories directories;

    @Test
    void should_create_the_seed_layout_and_export_it_to_engine_children() {
        assertThat(directories.ollama()).isDirectory().isEqualTo(directories.root().resolve("ollama"));
        assertThat(directories.huggingFace()).isDirectory().isEqualTo(directories.root().resolve("HF"));
        assertThat(Files.isDirectory(directories.gguf())).isTrue();
        assertThat(directories.childEnvironment())
                .containsEntry("OLLAMA_MODELS", directories.ollama().toString())
                .containsEntry("HUGGINGFACE_HUB_CACHE", directories.huggingFace().toString());
    }
}
