package io.infercore.api;

import io.infercore.support.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

/** The native generation API against the real stories260K model in the embedded engine. */
@QuarkusTest
class GenerationResourceTest {

    static final String GENERATE = "/api/v1/llm/generate";
    static final String CHAT = "/api/v1/llm/chat";

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    @Test
    void should_generate_text_in_the_envelope_with_usage() {
        post(GENERATE, "{\"prompt\":\"Once upon a time\",\"max_tokens\":24,\"temperature\":0}")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .header(RequestIds.HEADER, notNullValue())
                .body("code", is(200))
                .body("msg", is("success"))
                .body("data.text", not(emptyString()))
                .body("data.model_name", is("stories260k"))
                .body("data.engine_type", is("llamacpp"))
                .body("data.finish_reason", is("length"))
                .body("data.usage.prompt_tokens", greaterThan(0))
                .body("data.usage.completion_tokens", is(24));
    }

    @Test
    void should_echo_a_caller_request_id() {
        given().contentType(ContentType.JSON).header(RequestIds.HEADER, "trace-42")
                .body("{\"prompt\":\"Once upon a time\",\"max_tokens\":4}")
                .when().post(GENERATE)
                .then().statusCode(200)
                .header(RequestIds.HEADER, "trace-42")
                .body("request_id", is("trace-42"));
    }

    @Test
    void should_be_deterministic_when_greedy() {
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":32,\"temperature\":0}";
        String first = post(GENERATE, body).then().statusCode(200).extract().path("data.text");
        String second = post(GENERATE, body).then().statusCode(200).extract().path("data.text");
        assertThat(first).isEqualTo(second).contains("Lily");
    }

    @Test
    void should_stop_at_a_stop_sequence() {
        String text = post(GENERATE, "{\"prompt\":\"Once upon a time\",\"max_tokens\":64,\"temperature\":0,\"stop\":\"Lily\"}")
                .then().statusCode(200).body("data.finish_reason", is("stop")).extract().path("data.text");
        assertThat(text).doesNotContain("Lily");
    }

    @Test
    void should_chat_with_an_assistant_message() {
        post(CHAT, "{\"messages\":[{\"role\":\"system\",\"content\":\"Tell stories.\"},"
                + "{\"role\":\"user\",\"content\":\"Tell me about a cat\"}],\"max_tokens\":16,\"temperature\":0}")
                .then().statusCode(200)
                .body("data.message.role", is("assistant"))
                .body("data.message.content", not(emptyString()))
                .body("data.text", not(emptyString()))
                .body("data.usage.completion_tokens", greaterThan(0));
    }

    @Test
    void should_stream_deltas_then_done_matching_the_plain_answer() {
        String plain = post(GENERATE, "{\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"temperature\":0}")
                .then().statusCode(200).extract().path("data.text");
        Response streamed = post(GENERATE, "{\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"temperature\":0,\"stream\":true}");
        streamed.then().statusCode(200).contentType("text/event-stream");
        List<Sse.Event> events = Sse.parse(streamed.asString());

        assertThat(events).hasSizeGreaterThan(2);
        assertThat(events.subList(0, events.size() - 1)).allMatch(e -> "delta".equals(e.name()));
        Sse.Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.json().getString("finish_reason")).isEqualTo("length");
        assertThat(done.json().getInt("usage.completion_tokens")).isEqualTo(40);
        assertThat(Sse.joinedText(events)).isEqualTo(plain);
    }

    @Test
    void should_stream_chat() {
        Response streamed = post(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":8,\"stream\":true}");
        streamed.then().statusCode(200).contentType("text/event-stream");
        List<Sse.Event> events = Sse.parse(streamed.asString());
        assertThat(events.get(0).name()).isEqualTo("delta");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
    }

    @Test
    void should_end_a_started_stream_with_an_error_event_when_the_prompt_overflows_the_context() {
        String longPrompt = "Once upon a time there was a little dog. ".repeat(60);
        Response streamed = post(GENERATE, "{\"prompt\":\"" + longPrompt + "\",\"max_tokens\":300,\"stream\":true}");
        streamed.then().statusCode(200).contentType("text/event-stream");
        List<Sse.Event> events = Sse.parse(streamed.asString());
        Sse.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.json().getInt("code")).isEqualTo(400);
        assertThat(last.json().getString("msg")).contains("context length").contains("512");
    }

    @Test
    void should_refuse_a_non_streamed_prompt_that_overflows_the_context_with_the_numbers() {
        String longPrompt = "Once upon a time there was a little dog. ".repeat(60);
        post(GENERATE, "{\"prompt\":\"" + longPrompt + "\",\"max_tokens\":300}")
                .then().statusCode(400)
                .body("code", is(400))
                .body("msg", org.hamcrest.Matchers.containsString("512 tokens"))
                .body("data", equalTo(null));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"application/json", "text/event-stream", "application/json, text/plain"})
    void should_honour_the_body_not_an_exact_accept_header(String accept) {
        given().contentType(ContentType.JSON).accept(accept).body("{\"prompt\":\"Once upon a time\",\"max_tokens\":4}")
                .when().post(GENERATE).then().statusCode(200).contentType(ContentType.JSON).body("code", is(200));
        given().contentType(ContentType.JSON).accept(accept).body("{\"prompt\":\"Once upon a time\",\"max_tokens\":4,\"stream\":true}")
                .when().post(GENERATE).then().statusCode(200).contentType("text/event-stream");
        given().accept(accept).when().get("/api/v1/models").then().statusCode(200);
    }
}
