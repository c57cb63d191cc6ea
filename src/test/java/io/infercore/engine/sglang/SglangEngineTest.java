package io.infercore.engine.sglang;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.FakeEngineUnderTest;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamCollector;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** SGLang specifics beyond the contract: native /generate constraints, finish objects (fake SGLang 0.5). */
class SglangEngineTest {

    static final String MODEL = "Qwen/Qwen3-0.6B";
    static final Duration WAIT = Duration.ofSeconds(20);
    static FakeEngineProcess fake;
    static SglangEngine engine;

    @BeforeAll
    static void start() {
        fake = FakeEngineProcess.sglang(MODEL);
        engine = SglangEngine.at(FakeEngineUnderTest.endpoint(SglangEngine.TYPE, fake.baseUrl()));
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    static GenerationRequest prompt(ObjectNode schema, Map<String, Object> args, int maxTokens) {
        return new GenerationRequest(MODEL, "Once upon a time", null,
                new SamplingParams(maxTokens, 0.0, null, List.of(), null), schema, args, null);
    }

    @Test
    void should_send_a_json_schema_to_native_generate_as_a_json_string() throws Exception {
        ObjectNode schema = (ObjectNode) new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":"
                + "{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}");
        GenerationResult result = engine.generate(prompt(schema, Map.of(), 32)).await().atMost(WAIT);
        assertThat(new ObjectMapper().readTree(result.text()).has("ok")).isTrue();
        JsonNode sampling = fake.lastRequest("/generate").path("sampling_params");
        assertThat(sampling.path("json_schema").isTextual()).isTrue();
        assertThat(new ObjectMapper().readTree(sampling.path("json_schema").asText())).isEqualTo(schema);
    }

    @Test
    void should_pass_regex_and_sampling_extras_in_sampling_params() {
        engine.generate(prompt(null, Map.of("regex", "[a-z ]+", "top_k", 3), 8)).await().atMost(WAIT);
        JsonNode sampling = fake.lastRequest("/generate").path("sampling_params");
        assertThat(sampling.path("regex").asText()).isEqualTo("[a-z ]+");
        assertThat(sampling.path("top_k").asInt()).isEqualTo(3);
        assertThat(sampling.path("max_new_tokens").asInt()).isEqualTo(8);
    }

    @Test
    void should_turn_cumulative_native_stream_text_into_deltas_with_the_finish_type() {
        GenerationResult plain = engine.generate(prompt(null, Map.of(), 6)).await().atMost(WAIT);
        GenerationResult streamed = StreamCollector.collect(engine.stream(prompt(null, Map.of(), 6))).await().atMost(WAIT);
        assertThat(streamed).isEqualTo(plain);
        assertThat(streamed.finishReason()).isEqualTo("length");
        assertThat(streamed.usage().completionTokens()).isEqualTo(6);
    }

    @Test
    void should_refuse_two_output_constraints() {
        InfercoreException e = catchThrowableOfType(InfercoreException.class,
                () -> engine.generate(prompt(null, Map.of("regex", "a+", "ebnf", "root ::= \"a\""), 4)).await().atMost(WAIT));
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("one of regex, ebnf");
    }
}
