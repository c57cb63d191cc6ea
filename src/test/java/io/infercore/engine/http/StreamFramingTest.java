package io.infercore.engine.http;

import com.sun.net.httpserver.HttpServer;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The transport's stream cutting, against canned bodies: SSE per the WHATWG event-stream format
 * (OpenAI-compatible servers, vLLM ≥ 0.10 and SGLang 0.5 error payloads) and Ollama 0.12's
 * generation NDJSON. Payloads reach the reader as the engine wrote them (not parsed and written
 * again: the reader, LangChain4j or an adapter, parses each once), and the protocol rules hold.
 */
@DisplayName("EngineHttp streams: SSE and Ollama NDJSON cut into unparsed payloads, protocol rules kept")
class StreamFramingTest {

    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private HttpServer server;
    private EngineHttp http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            byte[] body = bodies.getOrDefault(path, "").getBytes(StandardCharsets.UTF_8);
            int status = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        http = new EngineHttp(new RemoteEndpoint("vllm", "http://127.0.0.1:" + server.getAddress().getPort(), null,
                Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private List<String> read(String path, Framing framing) {
        return http.stream(path, "{}", framing, "m", true).collect().asList().await().atMost(Duration.ofSeconds(20));
    }

    private InfercoreException failure(String path, Framing framing) {
        return catchThrowableOfType(InfercoreException.class, () -> read(path, framing));
    }

    @Test
    void should_hand_on_sse_payloads_as_written_up_to_done() {
        bodies.put("/sse", ": keep-alive comment\r\nevent: chunk\r\ndata: {\"a\" :  1}\r\n\r\n"
                + "data:{\"b\":\"an \\\"error\\\" in text\"}\n\ndata: [DONE]\n\n");

        assertThat(read("/sse", Framing.SSE)).containsExactly("{\"a\" :  1}", "{\"b\":\"an \\\"error\\\" in text\"}");
    }

    @Test
    void should_fail_an_sse_stream_on_an_error_payload_or_an_end_without_done() {
        bodies.put("/error", "data: {\"x\":1}\n\ndata: {\"error\":{\"message\":\"engine died\",\"code\":500}}\n\n");
        bodies.put("/short", "data: {\"x\":1}\n\n");

        InfercoreException error = failure("/error", Framing.SSE);
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(error.getMessage()).contains("engine died");
        assertThat(failure("/short", Framing.SSE).getMessage()).contains("closed the stream before it finished");
    }

    @Test
    void should_map_a_refused_status_with_the_engine_message() {
        bodies.put("/status/400", "{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"code\":400}");

        InfercoreException refused = failure("/status/400", Framing.SSE);
        assertThat(refused.httpStatus()).isEqualTo(400);
        assertThat(refused.getMessage()).contains("max_tokens is too large");
    }

    @Test
    void should_hand_on_ollama_lines_up_to_the_done_line_and_keep_its_rules() {
        bodies.put("/gen", "{\"response\":\"a\",\"done\":false}\n{\"response\":\"\",\"done\":true}\n");
        bodies.put("/early", "{\"response\":\"a\",\"done\":false}\n");
        bodies.put("/error", "{\"response\":\"a\",\"done\":false}\n{\"error\":\"model runner has crashed\"}\n");
        bodies.put("/garbage", "{\"response\":\"a\",\"done\":false}\nnot json\n");

        assertThat(read("/gen", Framing.NDJSON_GENERATION))
                .containsExactly("{\"response\":\"a\",\"done\":false}", "{\"response\":\"\",\"done\":true}");
        assertThat(failure("/early", Framing.NDJSON_GENERATION).getMessage()).contains("before its final (done) line");
        assertThat(failure("/error", Framing.NDJSON_GENERATION).getMessage()).contains("model runner has crashed");
        assertThat(failure("/garbage", Framing.NDJSON_GENERATION).getMessage()).contains("not a JSON object");
        assertThat(read("/early", Framing.NDJSON)).as("progress streams have no done line").hasSize(1);
    }
}
