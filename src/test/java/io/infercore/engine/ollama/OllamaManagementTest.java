package io.infercore.engine.ollama;

import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Ollama bean's REST-client extras (for the supervisor) against the fake Ollama 0.12 server:
 * tags, ps, show, version, pull progress, delete and unload.
 */
@QuarkusTest
@WithTestResource(value = FakeOllamaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OllamaManagementTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @FakeOllamaResource.InjectFakeOllama
    FakeEngineProcess fake;
    @Inject
    OllamaEngine ollama;

    @Test
    void should_list_tags_show_a_model_and_tell_the_version() {
        assertThat(ollama.tags().await().atMost(WAIT)).extracting(OllamaWire.LocalModel::name)
                .contains("llama3.2:latest", "nomic-embed-text:latest");

        OllamaWire.ModelCard card = ollama.show("llama3.2").await().atMost(WAIT);
        assertThat(card.contextLength()).isEqualTo(40960);
        assertThat(card.capabilities()).contains("completion");
        assertThat(card.details().family()).isEqualTo("llama");
        assertThat(ollama.resolveModel("llama3.2").await().atMost(WAIT).contextLength()).isEqualTo(40960);

        assertThat(ollama.version().await().atMost(WAIT)).isEqualTo("0.12.6");
        assertThat(ollama.health().await().atMost(WAIT).detail()).contains("0.12.6");
    }

    @Test
    void should_report_404_with_the_pull_hint_when_showing_an_unknown_model() {
        InfercoreException e = catchThrowableOfType(InfercoreException.class,
                () -> ollama.show("no-such-model").await().atMost(WAIT));
        assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("ollama pull no-such-model");
    }

    @Test
    void should_pull_a_model_with_progress_until_success_then_serve_it() {
        List<OllamaWire.PullProgress> progress = ollama.pull("qwen3:0.6b").collect().asList().await().atMost(WAIT);

        assertThat(progress.get(0).status()).isEqualTo("pulling manifest");
        assertThat(progress).anyMatch(p -> p.digest() != null && p.total() != null && p.completed() != null);
        assertThat(progress).filteredOn(p -> p.completed() != null).extracting(OllamaWire.PullProgress::completed)
                .isSorted().last().isEqualTo(progress.stream().filter(p -> p.total() != null).findFirst().orElseThrow().total());
        assertThat(progress.get(progress.size() - 1).status()).isEqualTo("success");
        assertThat(ollama.tags().await().atMost(WAIT)).extracting(OllamaWire.LocalModel::name).contains("qwen3:0.6b");
    }

    @Test
    void should_fail_the_pull_of_a_model_the_registry_does_not_have() {
        InfercoreException e = catchThrowableOfType(InfercoreException.class,
                () -> ollama.pull("no-such-model").collect().asList().await().atMost(WAIT));
        assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("no-such-model").contains("pull model manifest");
    }

    @Test
    void should_unload_a_loaded_model_and_delete_a_stored_one() {
        ollama.pull("smollm2:135m").collect().asList().await().atMost(WAIT);
        ollama.generate(new GenerationRequest("smollm2:135m", "Hello there", null,
                new SamplingParams(2, null, null, List.of(), null), null, Map.of(), null)).await().atMost(WAIT);
        assertThat(ollama.ps().await().atMost(WAIT)).extracting(OllamaWire.RunningModel::name).contains("smollm2:135m");

        ollama.unload("smollm2:135m").await().atMost(WAIT);
        assertThat(ollama.ps().await().atMost(WAIT)).extracting(OllamaWire.RunningModel::name).doesNotContain("smollm2:135m");
        assertThat(fake.lastRequest("/api/generate").path("keep_alive").asInt(-1)).isZero();

        ollama.delete("smollm2:135m").await().atMost(WAIT);
        assertThat(ollama.tags().await().atMost(WAIT)).extracting(OllamaWire.LocalModel::name).doesNotContain("smollm2:135m");
        InfercoreException again = catchThrowableOfType(InfercoreException.class,
                () -> ollama.delete("smollm2:135m").await().atMost(WAIT));
        assertThat(again.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
    }
}
