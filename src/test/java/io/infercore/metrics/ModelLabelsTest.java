package io.infercore.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code model} label stays bounded whatever names the engines serve. */
class ModelLabelsTest {

    @Test
    void should_give_the_first_names_their_own_label_and_later_ones_other() {
        ModelLabels labels = new ModelLabels();
        for (int i = 0; i < ModelLabels.MAX_MODELS; i++) {
            assertThat(labels.of("model-" + i)).isEqualTo("model-" + i);
        }

        assertThat(labels.of("one-too-many")).isEqualTo(ModelLabels.OTHER);
        assertThat(labels.of("model-3")).isEqualTo("model-3");
    }

    @Test
    void should_cut_long_names_and_call_a_missing_one_none() {
        ModelLabels labels = new ModelLabels();

        assertThat(labels.of("x".repeat(500))).hasSize(ModelLabels.MAX_LENGTH);
        assertThat(labels.of(null)).isEqualTo("none");
        assertThat(labels.of(" ")).isEqualTo("none");
    }
}
