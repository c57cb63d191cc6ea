package io.infercore.api.openai;

import io.infercore.support.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code n}, {@code logprobs} and {@code top_logprobs} on {@code /v1} in front of the embedded
 * engine (stories260K): n choices, choice i sampled with seed + i, streamed with their index;
 * logprobs refused with a 400 that names the engine (the llama.cpp binding cannot give them, see
 * {@code LlamaCppEngine#capabilities}); out-of-range values refused naming the field.
 */
@QuarkusTest
class ChoicesAndLogprobsTest {

    private static final String CHAT = """
            {"model":"stories260k","messages":[{"role":"user","content":"Once upon a time"}],
             "max_tokens":12,"temperature":1,"seed":%d%s}""";
    private static final String TEXT = """
            {"model":"stories260k","prompt":"Once upon a time","max_tokens":12,"temperature":1,"seed":%d%s}""";

    private static JsonPath post(String path, String body) {
        return given().contentType("application/json").body(body).post(path)
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }

    @Test
    void should_answer_n_chat_choices_each_the_answer_of_its_own_seed() {
        JsonPath three = post("/v1/chat/completions", CHAT.formatted(40, ",\"n\":3"));

        assertThat(three.getList("choices.index", Integer.class)).containsExactly(0, 1, 2);
        List<String> texts = three.getList("choices.message.content", String.class);
        int completionTokens = 0;
        for (int i = 0; i < 3; i++) {
            JsonPath alone = post("/v1/chat/completions", CHAT.formatted(40 + i, ""));
            assertThat(texts.get(i)).as("choice %d is the answer of seed %d", i, 40 + i)
                    .isEqualTo(alone.getString("choices[0].message.content"));
            completionTokens += alone.getInt("usage.completion_tokens");
            assertThat(three.getInt("usage.prompt_tokens")).isEqualTo(alone.getInt("usage.prompt_tokens"));
        }
        assertThat(texts).as("different seeds sample different stories").doesNotHaveDuplicates();
        assertThat(three.getInt("usage.completion_tokens")).as("every choice's tokens, the prompt once")
                .isEqualTo(completionTokens);
        assertThat(three.getInt("usage.total_tokens"))
                .isEqualTo(three.getInt("usage.prompt_tokens") + three.getInt("usage.completion_tokens"));
    }

    @Test
    void should_answer_n_text_choices() {
        JsonPath two = post("/v1/completions", TEXT.formatted(7, ",\"n\":2"));

        assertThat(two.getList("choices.index", Integer.class)).containsExactly(0, 1);
        assertThat(two.getString("choices[1].text"))
                .isEqualTo(post("/v1/completions", TEXT.formatted(8, "")).getString("choices[0].text"));
        assertThat(two.getList("choices.logprobs")).containsOnlyNulls();
    }

    @Test
    void should_stream_each_choice_under_its_index_then_one_usage_chunk() {
        String body = given().contentType("application/json")
                .body(CHAT.formatted(3, ",\"n\":2,\"stream\":true,\"stream_options\":{\"include_usage\":true}"))
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        List<Sse.Event> events = Sse.parse(body);

        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        List<JsonPath> chunks = events.subList(0, events.size() - 1).stream().map(Sse.Event::json).toList();
        List<JsonPath> usage = chunks.stream().filter(c -> c.getList("choices").isEmpty()).toList();
        assertThat(usage).hasSize(1);
        assertThat(chunks.get(chunks.size() - 1).getInt("usage.completion_tokens")).isPositive();
        Map<Integer, List<JsonPath>> byIndex = chunks.stream().filter(c -> !c.getList("choices").isEmpty())
                .collect(Collectors.groupingBy(c -> c.getInt("choices[0].index")));
        assertThat(byIndex).containsOnlyKeys(0, 1);
        for (int i = 0; i < 2; i++) {
            List<JsonPath> own = byIndex.get(i);
            assertThat(own.get(0).getString("choices[0].delta.role")).isEqualTo("assistant");
            assertThat(own.stream().filter(c -> c.getString("choices[0].finish_reason") != null)).hasSize(1);
            StringBuilder text = new StringBuilder();
            own.forEach(c -> text.append(c.getString("choices[0].delta.content") == null ? ""
                    : c.getString("choices[0].delta.content")));
            JsonPath alone = post("/v1/chat/completions", CHAT.formatted(3 + i, ""));
            assertThat(text.toString()).isEqualTo(alone.getString("choices[0].message.content"));
        }
    }

    @Test
    void should_stream_text_choices_with_their_index() {
        String body = given().contentType("application/json").body(TEXT.formatted(5, ",\"n\":3,\"stream\":true"))
                .post("/v1/completions").then().statusCode(200).extract().asString();
        List<Integer> finished = new ArrayList<>();
        for (Sse.Event e : Sse.parse(body)) {
            if (!e.data().equals("[DONE]") && e.json().getString("choices[0].finish_reason") != null) {
                finished.add(e.json().getInt("choices[0].index"));
            }
        }
        assertThat(finished).containsExactly(0, 1, 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/chat/completions | ,\"logprobs\":true",
            "/v1/chat/completions | ,\"logprobs\":true,\"top_logprobs\":3",
            "/v1/completions      | ,\"logprobs\":2",
            "/v1/completions      | ,\"logprobs\":0,\"stream\":true"})
    void should_refuse_logprobs_naming_the_embedded_engine(String path, String extra) {
        String body = (path.contains("chat") ? CHAT : TEXT).formatted(1, extra);
        JsonPath error = given().contentType("application/json").body(body).post(path)
                .then().statusCode(400).extract().jsonPath();

        assertThat(error.getString("error.param")).isEqualTo("logprobs");
        assertThat(error.getString("error.type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("error.message")).contains("engine 'llamacpp'").contains("vllm, sglang");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/chat/completions | ,\"n\":0                                | n",
            "/v1/chat/completions | ,\"n\":9                                | n",
            "/v1/completions      | ,\"n\":-1                               | n",
            "/v1/chat/completions | ,\"logprobs\":true,\"top_logprobs\":21  | top_logprobs",
            "/v1/chat/completions | ,\"logprobs\":true,\"top_logprobs\":-1  | top_logprobs",
            "/v1/chat/completions | ,\"top_logprobs\":2                     | top_logprobs",
            "/v1/chat/completions | ,\"logprobs\":false,\"top_logprobs\":2  | top_logprobs",
            "/v1/completions      | ,\"logprobs\":21                        | logprobs",
            "/v1/completions      | ,\"logprobs\":-1                        | logprobs"})
    void should_refuse_out_of_range_values_naming_the_field(String path, String extra, String param) {
        String body = (path.contains("chat") ? CHAT : TEXT).formatted(1, extra);
        JsonPath error = given().contentType("application/json").body(body).post(path)
                .then().statusCode(400).extract().jsonPath();

        assertThat(error.getString("error.param")).isEqualTo(param);
        assertThat(error.getString("error.message")).contains(param);
    }
}
