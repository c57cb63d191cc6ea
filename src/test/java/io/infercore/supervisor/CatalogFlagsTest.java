package io.infercore.supervisor;

import io.infercore.support.Engines;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.CatalogReader;
import io.infercore.engine.sglang.SglangLauncher;
import io.infercore.engine.vllm.VllmLauncher;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Catalog facts become vLLM / SGLang flags (context length, parsers) unless the request set them. */
public class CatalogFlagsTest {

    public static CatalogModel model(String json) throws Exception {
        return CatalogReader.readRegistration("test", new ObjectMapper().readTree(json), Engines.providers());
    }

    public static final String QWEN = "{\"id\":\"q\",\"abilities\":[\"chat\",\"tools\",\"reasoning\"],\"context_length\":32768,"
            + "\"parsers\":{\"vllm\":{\"tool_call\":\"hermes\",\"reasoning\":\"qwen3\"},"
            + "\"sglang\":{\"tool_call\":\"qwen25\",\"reasoning\":\"qwen3\"}},"
            + "\"sizes\":[{\"size\":\"8B\",\"hf_repo\":\"Qwen/Qwen3-8B\",\"ollama_name\":\"qwen3:8b\"},"
            + "{\"size\":\"0.6B\",\"hf_repo\":\"Qwen/Qwen3-0.6B\",\"context_length\":4096}]}";

    static LaunchPlan plan(String engine, Map<String, Object> args) {
        return new LaunchPlan(engine, RunMode.SPAWNED, "q", "8B", "llm", "Qwen/Qwen3-8B", "Qwen/Qwen3-8B", null, null,
                null, 1, 1, null, args, null);
    }

    @Test
    void should_pass_context_length_and_parsers_to_vllm_and_sglang_as_their_own_flags() throws Exception {
        CatalogModel q = model(QWEN);
        Map<String, Object> vllm = new VllmLauncher().catalogArgs(q, q.sizes().get(0), Map.of());
        List<String> argv = EngineCommandsTest.COMMANDS.command(plan("vllm", vllm), 41000, 1);
        assertThat(String.join(" ", argv)).contains("--max-model-len 32768", "--tool-call-parser hermes",
                "--enable-auto-tool-choice", "--reasoning-parser qwen3");

        Map<String, Object> sglang = new SglangLauncher().catalogArgs(q, q.sizes().get(1), Map.of());
        assertThat(String.join(" ", EngineCommandsTest.COMMANDS.command(plan("sglang", sglang), 41001, 1)))
                .contains("--context-length 4096", "--tool-call-parser qwen25", "--reasoning-parser qwen3")
                .doesNotContain("--enable-auto-tool-choice");
    }

    @Test
    void should_keep_what_the_request_set_and_add_nothing_the_catalog_does_not_state() throws Exception {
        CatalogModel q = model(QWEN);
        Map<String, Object> mine = new VllmLauncher().catalogArgs(q, q.sizes().get(0),
                Map.of("max_model_len", 8192, "tool_call_parser", "pythonic"));
        assertThat(mine).containsEntry("max_model_len", 8192).containsEntry("tool_call_parser", "pythonic")
                .doesNotContainKey("enable_auto_tool_choice").containsEntry("reasoning_parser", "qwen3");

        CatalogModel plain = model("{\"id\":\"p\",\"sizes\":[{\"size\":\"1B\",\"hf_repo\":\"o/r\",\"ollama_name\":\"p:1b\"}]}");
        assertThat(new VllmLauncher().catalogArgs(plain, plain.sizes().get(0), Map.of())).isEmpty();
    }
}
