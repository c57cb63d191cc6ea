package io.infercore.api.anthropic;

import io.infercore.api.openai.ToolEnginesResource;
import io.infercore.support.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine that fails after the stream started (the fake vLLM 0.11 with {@code fail_after_tokens}):
 * the status is already 200, so each API ends its stream with its own {@code error} event.
 */
@QuarkusTest
@WithTestResource(ToolEnginesResource.class)
class MidStreamFailureTest {

    static final String MODEL = ToolEnginesResource.VLLM_MODEL;

    @AfterEach
    void reset() {
        ToolEnginesResource.vllm.resetKnobs();
    }

    static List<Sse.Event> stream(String path, String body) {
        ToolEnginesResource.vllm.setKnob("fail_after_tokens", 2);
        String raw = given().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(200).extract().asString();
        return Sse.parse(raw);
    }

    @Test
    void should_end_an_anthropic_stream_with_anthropics_error_event() {
        List<Sse.Event> events = stream("/v1/messages", "{\"model\":\"" + MODEL + "\",\"max_tokens\":32,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}");
        assertThat(events.get(0).name()).isEqualTo("message_start");
        assertThat(events).extracting(Sse.Event::name).contains("content_block_delta").doesNotContain("message_stop");
        Sse.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.json().getString("type")).isEqualTo("error");
        assertThat(last.json().getString("error.type")).isEqualTo("api_error");
        assertThat(last.json().getString("error.message")).isNotBlank();
    }

    @Test
    void should_end_a_responses_stream_with_openais_error_event() {
        List<Sse.Event> events = stream("/v1/responses", "{\"model\":\"" + MODEL + "\",\"max_output_tokens\":32,"
                + "\"stream\":true,\"input\":\"Tell me a story\"}");
        assertThat(events.get(0).name()).isEqualTo("response.created");
        assertThat(events).extracting(Sse.Event::name).contains("response.output_text.delta")
                .doesNotContain("response.completed", "response.incomplete");
        Sse.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.json().getString("type")).isEqualTo("error");
        assertThat(last.json().getInt("sequence_number")).isEqualTo(events.size() - 1);
        assertThat(last.json().getString("message")).isNotBlank();
        assertThat(last.json().getString("code")).isNotBlank();
    }
}
