package io.infercore.engine.echo;

import io.infercore.support.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * Adding an engine is one package: the echo engine ({@link EchoEngine} + {@link EchoProvider},
 * nothing outside this package) is served end to end once its beans exist: listed, routed by
 * model name, answering the OpenAI and the native API, streamed and not, and known to the
 * catalog's engine filter. It has no launcher: an in-memory engine has nothing to launch.
 */
@QuarkusTest
@TestProfile(EchoEngineTest.WithEcho.class)
class EchoEngineTest {

    /** Lets the SPI discover the echo beans; the embedded default model is not loaded (nothing here uses it). */
    public static class WithEcho implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("echo-engine.enabled", "true", "infercore.llamacpp.load_on_start", "false");
        }
    }

    private static Response post(String path, String json) {
        return given().contentType("application/json").body(json).when().post(path);
    }

    @Test
    void should_list_the_echo_model_under_its_engine() {
        given().when().get("/v1/models").then().statusCode(200)
                .body("data.find { it.id == 'echo-1' }.owned_by", is("echo"));
    }

    @Test
    void should_answer_openai_chat_by_model_name_alone() {
        post("/v1/chat/completions", "{\"model\":\"echo-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")
                .then().statusCode(200)
                .body("model", is("echo-1"))
                .body("choices[0].message.content", is("echo: hello there"))
                .body("choices[0].finish_reason", is("stop"));
    }

    @Test
    void should_stream_openai_chat_as_sse_ending_in_done() {
        Response r = post("/v1/chat/completions", "{\"model\":\"echo/echo-1\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");
        r.then().statusCode(200).contentType("text/event-stream");
        StringBuilder text = new StringBuilder();
        List<String> data = Sse.parse(r.asString()).stream().map(Sse.Event::data).toList();
        assertThat(data).last().isEqualTo("[DONE]");
        data.stream().filter(d -> !d.equals("[DONE]")).map(JsonPath::from).forEach(j -> {
            String piece = j.getString("choices[0].delta.content");
            text.append(piece == null ? "" : piece);
        });
        assertThat(text).hasToString("echo: one two three");
    }

    @Test
    void should_answer_the_native_generate_route_plain_and_streamed() {
        String target = "\"engine_type\":\"echo\",\"model_name\":\"echo-1\"";
        post("/api/v1/llm/generate", "{\"prompt\":\"once upon a time\"," + target + "}")
                .then().statusCode(200)
                .body("code", is(200))
                .body("data.engine_type", is("echo"))
                .body("data.text", is("echo: once upon a time"));

        Response streamed = post("/api/v1/llm/generate", "{\"prompt\":\"once upon\",\"stream\":true," + target + "}");
        streamed.then().statusCode(200).contentType("text/event-stream");
        List<Sse.Event> events = Sse.parse(streamed.asString());
        assertThat(Sse.joinedText(events)).isEqualTo("echo: once upon");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
    }

    @Test
    void should_be_an_engine_the_catalog_filter_knows() {
        given().queryParam("engine", "echo").when().get("/api/v1/models").then().statusCode(200);
        given().queryParam("engine", "warp-drive").when().get("/api/v1/models").then().statusCode(400)
                .body("msg", org.hamcrest.Matchers.containsString("echo"));
    }
}
