package io.infercore.inference;

import io.infercore.error.InfercoreException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static io.infercore.inference.EmbeddingInputs.MAX_INPUTS;
import static io.infercore.inference.EmbeddingInputs.MAX_INPUT_CHARS;
import static io.infercore.inference.EmbeddingInputs.MAX_TOTAL_CHARS;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits of {@link EmbeddingInputs}, at and just past each boundary (the HTTP table covers the messages). */
class EmbeddingInputsTest {

    @Test
    void should_accept_exactly_the_limits() {
        assertThatCode(() -> EmbeddingInputs.validate(Collections.nCopies(MAX_INPUTS, "x"))).doesNotThrowAnyException();
        assertThatCode(() -> EmbeddingInputs.validate(List.of("a".repeat(MAX_INPUT_CHARS)))).doesNotThrowAnyException();
        int texts = MAX_TOTAL_CHARS / MAX_INPUT_CHARS;
        assertThatCode(() -> EmbeddingInputs.validate(Collections.nCopies(texts, "a".repeat(MAX_INPUT_CHARS))))
                .doesNotThrowAnyException();
    }

    @Test
    void should_refuse_one_past_each_limit_naming_input() {
        for (List<String> inputs : List.of(Collections.nCopies(MAX_INPUTS + 1, "x"),
                List.of("a".repeat(MAX_INPUT_CHARS + 1)),
                withOneMoreCharacter(Collections.nCopies(MAX_TOTAL_CHARS / MAX_INPUT_CHARS, "a".repeat(MAX_INPUT_CHARS))))) {
            assertThatThrownBy(() -> EmbeddingInputs.validate(inputs)).isInstanceOf(InfercoreException.class)
                    .hasFieldOrPropertyWithValue("param", "input");
        }
    }

    private static List<String> withOneMoreCharacter(List<String> inputs) {
        List<String> more = new java.util.ArrayList<>(inputs);
        more.add("z");
        return more;
    }
}
