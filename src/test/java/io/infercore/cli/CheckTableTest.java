package io.infercore.cli;

import io.infercore.cli.EngineProbe.Result;
import io.infercore.cli.EngineProbe.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The check table and its verdict: only a default engine that generated passes. */
class CheckTableTest {

    static final Result LOCAL_OK = new Result("llamacpp", Status.OK, 41, "stories260k: \"a time\" (8 tokens)");
    static final Result OLLAMA_DOWN = new Result("ollama", Status.DOWN, 3, "ollama is not reachable; start it with `ollama serve`");
    static final Result VLLM_UP = new Result("vllm", Status.UP, 5, "healthy, but it lists no model");

    @Test
    void should_star_the_default_engine_and_align_every_column() {
        String table = CheckTable.render(List.of(LOCAL_OK, OLLAMA_DOWN, VLLM_UP), "llamacpp");

        assertThat(table.lines().toList()).startsWith(
                "ENGINE     STATUS   LATENCY  HINT",
                "llamacpp*  ok         41 ms  stories260k: \"a time\" (8 tokens)",
                "ollama     down        3 ms  ollama is not reachable; start it with `ollama serve`",
                "vllm       up          5 ms  healthy, but it lists no model");
        assertThat(table).endsWith("* default engine llamacpp: ok" + System.lineSeparator());
    }

    @Test
    void should_fail_unless_the_default_engine_generated() {
        assertThat(CheckTable.defaultEngineOk(List.of(LOCAL_OK, OLLAMA_DOWN), "llamacpp")).isTrue();
        assertThat(CheckTable.defaultEngineOk(List.of(LOCAL_OK, OLLAMA_DOWN), "ollama")).isFalse();
        assertThat(CheckTable.defaultEngineOk(List.of(LOCAL_OK, VLLM_UP), "vllm")).as("healthy is not enough").isFalse();
        assertThat(CheckTable.defaultEngineOk(List.of(LOCAL_OK), "sglang")).as("not registered").isFalse();
        assertThat(CheckTable.render(List.of(LOCAL_OK), "sglang")).contains("* default engine sglang: not registered (check failed)");
    }

    @Test
    void should_keep_each_row_on_one_line() {
        assertThat(CheckTable.shorten("line one\nline two", 100)).isEqualTo("line one\\nline two");
        assertThat(CheckTable.shorten("x".repeat(60), 20)).hasSize(20).endsWith("...");
        String table = CheckTable.render(List.of(new Result("vllm", Status.FAILED, 9, "first\nsecond")), "vllm");
        assertThat(table).contains("vllm*   failed      9 ms  first\\nsecond");
    }
}
