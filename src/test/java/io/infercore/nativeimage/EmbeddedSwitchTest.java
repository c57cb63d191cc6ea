package io.infercore.nativeimage;

import io.infercore.error.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSwitchTest {

    @Test
    void should_be_on_by_default_with_the_embedding_model_off_in_a_native_executable() {
        EmbeddedSwitch jvm = new EmbeddedSwitch(Optional.empty(), false);
        assertThat(jvm.enabled()).isTrue();
        assertThat(jvm.embeddingsEnabled()).isTrue();
        EmbeddedSwitch nativeDefault = new EmbeddedSwitch(Optional.empty(), true);
        assertThat(nativeDefault.enabled()).isTrue();
        assertThat(nativeDefault.embeddingsEnabled()).isFalse();
        var refusal = nativeDefault.embeddingsUnavailable();
        assertThat(refusal.kind()).isEqualTo(ErrorKind.ENGINE_UNAVAILABLE);
        assertThat(refusal.getMessage()).contains("not available in the native build")
                .contains("engine_type ollama, vllm or sglang");
    }

    @Test
    void should_follow_the_configuration_when_set() {
        assertThat(new EmbeddedSwitch(Optional.of(false), false).enabled()).isFalse();
        assertThat(new EmbeddedSwitch(Optional.of(false), false).embeddingsEnabled()).isFalse();
        assertThat(new EmbeddedSwitch(Optional.of(true), true).enabled()).isTrue();
    }

    @Test
    void should_refuse_with_a_503_that_names_the_key_and_the_remote_engines() {
        var refusal = EmbeddedSwitch.of(false).unavailable();
        assertThat(refusal.kind()).isEqualTo(ErrorKind.ENGINE_UNAVAILABLE);
        assertThat(refusal.getMessage()).contains("infercore.embedded.enabled=false")
                .contains("engine_type ollama, vllm or sglang");
    }
}
