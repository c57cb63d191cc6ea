package io.infercore.engine.http;

import com.sun.net.httpserver.HttpServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport's entry points for worker threads ({@link EngineHttp#await},
 * {@link EngineHttp#openGet}): they refuse an event loop, and {@code openGet} follows redirects
 * as {@code java.net.HttpURLConnection} did (the hub downloads it replaced).
 */
class BlockingCallsTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final byte[] LARGE = new byte[5 * 1024 * 1024];

    static {
        new Random(7).nextBytes(LARGE);
    }

    HttpServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            seen.add(path);
            switch (path) {
                case "/loop" -> redirect(exchange, 302, "/loop");
                case "/permanent" -> redirect(exchange, 308, "/large");
                case "/tls" -> redirect(exchange, 302, "https://127.0.0.1:1/large");
                case "/large" -> {
                    exchange.sendResponseHeaders(200, LARGE.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(LARGE);
                    }
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
    }

    static void redirect(com.sun.net.httpserver.HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    EngineHttp http() {
        return EngineHttp.plain("test", "http://127.0.0.1:" + server.getAddress().getPort(), null,
                Duration.ofSeconds(2), LIMIT);
    }

    @Test
    void should_stream_a_body_larger_than_its_buffering_to_the_reader() throws Exception {
        try (StreamedBody answer = http().openGet("/large", Map.of(), LIMIT); InputStream in = answer.body()) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentLength()).isEqualTo(LARGE.length);
            assertThat(in.readAllBytes()).isEqualTo(LARGE);
            assertThat(in.read()).as("the end stays the end").isEqualTo(-1);
        }
    }

    @Test
    void should_give_up_after_twenty_redirects_as_http_url_connection_did() {
        assertThatThrownBy(() -> http().openGet("/loop", Map.of(), LIMIT))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("redirected too many times (20)");
        assertThat(seen).hasSize(StreamedBody.MAX_REDIRECTS);
    }

    @Test
    void should_return_a_308_and_a_redirect_to_another_scheme_as_they_are() throws Exception {
        try (StreamedBody permanent = http().openGet("/permanent", Map.of(), LIMIT);
             StreamedBody tls = http().openGet("/tls", Map.of(), LIMIT)) {
            assertThat(permanent.status()).isEqualTo(308);
            assertThat(tls.status()).isEqualTo(302);
        }
        assertThat(seen).containsExactly("/permanent", "/tls");
    }

    @Test
    void should_refuse_to_block_an_event_loop() throws Exception {
        Vertx vertx = VertxClients.vertx();
        CompletableFuture<Throwable> awaited = new CompletableFuture<>();
        CompletableFuture<Throwable> opened = new CompletableFuture<>();
        EngineHttp http = http();
        vertx.runOnContext(v -> {
            try {
                EngineHttp.await(Uni.createFrom().item("never blocks here"));
                awaited.complete(null);
            } catch (RuntimeException e) {
                awaited.complete(e);
            }
            try {
                http.openGet("/large", Map.of(), LIMIT).close();
                opened.complete(null);
            } catch (IOException | RuntimeException e) {
                opened.complete(e);
            }
        });

        assertThat(awaited.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event loop");
        assertThat(opened.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        assertThat(EngineHttp.await(Uni.createFrom().item("ok"))).as("a worker thread may wait").isEqualTo("ok");
    }
}
