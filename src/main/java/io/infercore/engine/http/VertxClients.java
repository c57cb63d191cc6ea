package io.infercore.engine.http;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

/**
 * The Vert.x HTTP client every remote engine is called with: on the service's own Vert.x (so a
 * call made from a request's event loop is answered on it, with no thread hand-off), or, outside
 * a running Quarkus application (the Java API, the CLI), on a small private Vert.x.
 *
 * <p>Why not the JDK client: its {@code sendAsync} completes every response through
 * {@code CompletableFuture}'s default executor, which on a machine with fewer than three cores
 * starts a new thread per response; that, not the engines, capped the gateway's throughput
 * (docs/BENCHMARKS.md).
 */
final class VertxClients {

    /** Connections per engine server: one per concurrent call (streams hold theirs until the end). */
    static final int MAX_CONNECTIONS_PER_SERVER = 4096;

    private record Shared(Vertx vertx, HttpClient client) {
    }

    private static volatile Shared shared;
    private static volatile Vertx privateVertx;

    private VertxClients() {
    }

    /** The client for the current application (a test restart brings a new Vert.x, hence a new client). */
    static HttpClient client() {
        Vertx vertx = vertx();
        Shared current = shared;
        if (current != null && current.vertx() == vertx) {
            return current.client();
        }
        synchronized (VertxClients.class) {
            if (shared == null || shared.vertx() != vertx) {
                HttpClientOptions options = new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(false);
                shared = new Shared(vertx, vertx.createHttpClient(options,
                        new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_SERVER).setMaxWaitQueueSize(-1)));
            }
            return shared.client();
        }
    }

    static Vertx vertx() {
        ArcContainer container = Arc.container();
        if (container != null && container.isRunning()) {
            Vertx vertx = container.instance(Vertx.class).get();
            if (vertx != null) {
                return vertx;
            }
        }
        Vertx own = privateVertx;
        if (own == null) {
            synchronized (VertxClients.class) {
                if (privateVertx == null) {
                    privateVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1)
                            .setInternalBlockingPoolSize(1));
                }
                own = privateVertx;
            }
        }
        return own;
    }
}
