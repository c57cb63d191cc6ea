package io.infercore.supervisor;

import com.sun.net.httpserver.HttpServer;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readiness probe's semantics, against a local HTTP server: only a 200 is ready; a redirect is
 * not followed (it is not ready, even when its target would answer 200); a port where nothing
 * listens (a server still loading) is "not ready yet", not an error.
 */
class ReadinessTest {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    HttpServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            switch (exchange.getRequestURI().getPath()) {
                case "/", "/health" -> exchange.sendResponseHeaders(200, -1);
                case "/moved" -> {
                    exchange.getResponseHeaders().add("Location", "/health");
                    exchange.sendResponseHeaders(302, -1);
                }
                default -> exchange.sendResponseHeaders(503, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void should_be_ready_on_200_only() {
        Readiness readiness = new Readiness();

        assertThat(readiness.probe(url("/health"), "GET", TIMEOUT)).isTrue();
        assertThat(readiness.probe(url("/"), "HEAD", TIMEOUT)).isTrue();
        assertThat(readiness.probe(url("/loading"), "GET", TIMEOUT)).isFalse();
        assertThat(seen).containsExactly("GET /health", "HEAD /", "GET /loading");
    }

    @Test
    void should_not_follow_a_redirect() {
        assertThat(new Readiness().probe(url("/moved"), "GET", TIMEOUT)).isFalse();
        assertThat(seen).containsExactly("GET /moved");
    }

    @Test
    void should_answer_not_ready_where_nothing_listens_yet() {
        String closed = "http://127.0.0.1:" + FakeEngineProcess.freePort() + "/health";

        assertThat(new Readiness().probe(closed, "GET", TIMEOUT)).isFalse();
        assertThat(new Readiness().probe("not a url", "GET", TIMEOUT)).isFalse();
    }
}
