package io.infercore.engine.http;

import io.infercore.engine.openai.RemoteEndpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.error.InfercoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server that advertises HTTP/1.1 keep-alive but closes the connection instead of answering
 * the next request on it: what llama.cpp's server (cpp-httplib, {@code Keep-Alive: timeout=5,
 * max=100}) does after every streamed answer, seen by a client that reuses the connection before
 * the close arrives. Here the close is made deterministic: the second request on any connection
 * is read and the connection closed unanswered. Such a request is sent once more on a new
 * connection; a server that never answers is still reported after that one retry.
 */
@DisplayName("Upstream HTTP/1.1: a kept-alive connection closed by the server is retried once (cpp-httplib behaviour)")
class StaleKeepAliveConnectionTest {

    private ClosingServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void should_resend_a_get_whose_kept_alive_connection_was_closed_unanswered() throws Exception {
        server = new ClosingServer(1);
        EngineHttp http = new EngineHttp(endpoint(server.url()));

        for (int i = 0; i < 3; i++) {
            JsonNode models = http.getJson("/v1/models", Duration.ofSeconds(5)).await().atMost(Duration.ofSeconds(10));
            assertThat(models.path("data").get(0).path("id").asText()).isEqualTo("m");
        }
        assertThat(server.answered.get()).isEqualTo(3);
        assertThat(server.closedUnanswered.get()).as("requests lost to a closing connection").isEqualTo(2);
    }

    @Test
    void should_resend_a_post_and_an_event_stream_whose_connection_was_closed_unanswered() throws Exception {
        server = new ClosingServer(1);
        EngineHttp http = new EngineHttp(endpoint(server.url()));

        String first = http.postRaw("/v1/chat/completions", "{\"n\":1}", "m").await().atMost(Duration.ofSeconds(10));
        List<JsonNode> chunks = http.sse("/v1/chat/completions", "{\"stream\":true}", "m").collect().asList()
                .await().atMost(Duration.ofSeconds(10));
        String third = http.postRaw("/v1/chat/completions", "{\"n\":3}", "m").await().atMost(Duration.ofSeconds(10));

        assertThat(first).contains("\"n\":1");
        assertThat(chunks).extracting(c -> c.path("n").asInt()).containsExactly(1, 2);
        assertThat(third).contains("\"n\":3");
        assertThat(server.closedUnanswered.get()).isEqualTo(2);
        assertThat(server.bodies).as("every body reached the server whole")
                .contains("{\"n\":1}", "{\"stream\":true}", "{\"n\":3}");
    }

    @Test
    void should_report_a_server_that_closes_every_connection_after_one_retry() throws Exception {
        server = new ClosingServer(0);
        EngineHttp http = new EngineHttp(endpoint(server.url()));

        assertThatThrownBy(() -> http.postRaw("/v1/chat/completions", "{}", "m").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(InfercoreException.class).hasMessageContaining("vllm at " + server.url());
        assertThatThrownBy(() -> http.sse("/v1/chat/completions", "{}", "m").collect().asList()
                .await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(InfercoreException.class).hasMessageContaining("vllm at " + server.url());
        assertThat(server.closedUnanswered.get()).as("one retry per call, not a loop").isEqualTo(4);
    }

    private static RemoteEndpoint endpoint(String url) {
        return new RemoteEndpoint("vllm", url, null, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /** Answers {@code answersPerConnection} requests on a connection, then reads the next one and closes. */
    private static final class ClosingServer implements AutoCloseable {
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger closedUnanswered = new AtomicInteger();
        final List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final int answersPerConnection;

        ClosingServer(int answersPerConnection) throws IOException {
            this.answersPerConnection = answersPerConnection;
            daemon(this::accept);
        }

        private static void daemon(Runnable task) {
            Thread thread = new Thread(task, "closing-server");
            thread.setDaemon(true);
            thread.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    daemon(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                for (int n = 0; ; n++) {
                    String[] request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    bodies.add(request[1]);
                    if (n >= answersPerConnection) {
                        closedUnanswered.incrementAndGet();
                        return;
                    }
                    answered.incrementAndGet();
                    boolean stream = request[1].contains("stream");
                    String body = request[0].startsWith("GET") ? "{\"object\":\"list\",\"data\":[{\"id\":\"m\"}]}"
                            : stream ? "data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: [DONE]\n\n" : request[1];
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nServer: llama.cpp\r\nContent-Type: "
                            + (stream ? "text/event-stream" : "application/json") + "\r\nContent-Length: " + bytes.length
                            + "\r\nKeep-Alive: timeout=5, max=100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        /** The request line and body, or null at the end of the connection. */
        private static String[] readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String headers = head.toString(StandardCharsets.US_ASCII);
            int length = 0;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            byte[] body = in.readNBytes(length);
            return new String[] {headers.substring(0, headers.indexOf("\r\n")), new String(body, StandardCharsets.UTF_8)};
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
