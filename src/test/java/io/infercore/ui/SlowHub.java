package io.infercore.ui;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A stand-in for the Hugging Face hub that serves one GGUF slowly (64 KiB every 40 ms, about a
 * second for stories260K), so a launch's download stage, with its byte counts, can be watched in
 * the browser. Serves {@code /<repo>/resolve/main/<file>} like the hub.
 */
final class SlowHub {

    static final String REPO = "karpathy/tinyllamas";
    static final String FILE = "stories260K.gguf";
    private static SlowHub instance;

    private final HttpServer server;

    private SlowHub(Path gguf) throws IOException {
        byte[] body = Files.readAllBytes(gguf);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/" + REPO + "/resolve/main/" + FILE, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < body.length; at += 64 * 1024) {
                    out.write(body, at, Math.min(64 * 1024, body.length - at));
                    out.flush();
                    Thread.sleep(40);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the downloader went away: nothing to do
            }
        });
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slow-hub");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The one hub of this test JVM, serving the test model file. */
    static synchronized SlowHub start(Path gguf) {
        if (instance == null) {
            try {
                instance = new SlowHub(gguf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
