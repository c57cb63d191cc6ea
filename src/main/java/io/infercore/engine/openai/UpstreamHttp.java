package io.infercore.engine.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.UpstreamErrors;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP to one remote engine, on the JDK client (HTTP/1.1, non-blocking). Every failure leaves
 * here already mapped by {@link UpstreamErrors}. Streams are read with a reactive line
 * subscriber, so cancelling a {@link #sse} Multi cancels the body subscription, which closes the
 * connection: the engine sees the disconnect and stops generating. The API key is sent as a
 * Bearer token and appears in no message.
 */
public final class UpstreamHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger THREADS = new AtomicInteger();
    /**
     * The clients' async work (delivering stream lines, completing calls). The JDK's default is a
     * cached pool per client whose idle threads live 60 s, so a burst of streams leaves hundreds of
     * idle threads for a minute per client; this one pool, shared by all clients, grows the same
     * way (nothing queues, nothing can starve) but gives idle threads back after 10 s.
     */
    private static final ExecutorService ASYNC = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread t = new Thread(task, "infercore-upstream-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private final RemoteEndpoint endpoint;
    private final HttpClient client;

    public UpstreamHttp(RemoteEndpoint endpoint) {
        this.endpoint = endpoint;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(endpoint.connect()).executor(ASYNC).build();
    }

    public RemoteEndpoint endpoint() {
        return endpoint;
    }

    /** {@code GET path}: the 2xx body as JSON. */
    public Uni<JsonNode> getJson(String path, Duration timeout) {
        return get(path, timeout).map(response -> {
            if (response.statusCode() / 100 != 2) {
                throw UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), null, response.statusCode(),
                        ErrorBodies.message(response.body()));
            }
            return parse(response.body());
        });
    }

    /** {@code GET path} whatever the status (health probes). */
    public Uni<HttpResponse<String>> get(String path, Duration timeout) {
        if (!endpoint.configured()) {
            return Uni.createFrom().failure(endpoint.notConfigured());
        }
        return send(request(path, null, "application/json").GET().build(), HttpResponse.BodyHandlers.ofString(), timeout);
    }

    /** {@code POST path} with a JSON body; the 2xx answer as JSON, within the first-token timeout. */
    public Uni<JsonNode> postJson(String path, Object body, String model) {
        return postRaw(path, write(body), model).map(UpstreamHttp::parse);
    }

    /** {@code POST path} with a JSON text; the 2xx answer's text. */
    public Uni<String> postRaw(String path, String body, String model) {
        if (!endpoint.configured()) {
            return Uni.createFrom().failure(endpoint.notConfigured());
        }
        HttpRequest request = request(path, body, "application/json").build();
        return send(request, HttpResponse.BodyHandlers.ofString(), endpoint.firstToken()).map(response -> {
            if (response.statusCode() / 100 != 2) {
                throw UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model, response.statusCode(),
                        ErrorBodies.message(response.body()));
            }
            return response.body();
        });
    }

    /**
     * {@code POST path} answered with server-sent events: each {@code data:} payload as JSON, up
     * to {@code [DONE]}. An error payload (vLLM/SGLang {@code data: {"error":...}}) fails the
     * stream; so does a stream that ends without {@code [DONE]}.
     */
    public Multi<JsonNode> sse(String path, Object body, String model) {
        if (!endpoint.configured()) {
            return Multi.createFrom().failure(endpoint.notConfigured());
        }
        return Multi.createFrom().emitter(emitter -> {
            EventLines lines = new EventLines(emitter, model);
            HttpRequest request = request(path, write(body), "text/event-stream").build();
            CompletableFuture<HttpResponse<Void>> call = client.sendAsync(request, info -> info.statusCode() / 100 == 2
                    ? HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, null)
                    : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                            text -> lines.refused(info.statusCode(), text)));
            emitter.onTermination(() -> {
                if (!lines.finished.get()) {
                    lines.cancel();
                    call.cancel(true);
                }
            });
            call.whenComplete((response, failure) -> {
                if (failure != null && !lines.cancelled) {
                    emitter.fail(transportError(failure));
                }
            });
        });
    }

    /** A transport failure (refused, timeout, reset) as the engine's mapped error. */
    public InfercoreException transportError(Throwable failure) {
        return UpstreamErrors.fromTransport(endpoint.engine(), endpoint.displayUrl(), failure);
    }

    private <T> Uni<HttpResponse<T>> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, Duration timeout) {
        Uni<HttpResponse<T>> call = Uni.createFrom().emitter(emitter -> {
            AtomicBoolean ended = new AtomicBoolean();
            CompletableFuture<HttpResponse<T>> future = client.sendAsync(request, handler);
            emitter.onTermination(() -> {
                if (ended.compareAndSet(false, true)) {
                    future.cancel(true);
                }
            });
            future.whenComplete((response, failure) -> {
                if (!ended.compareAndSet(false, true)) {
                    return; // cancelled or timed out: nobody is listening
                }
                if (failure != null) {
                    emitter.fail(transportError(failure));
                } else {
                    emitter.complete(response);
                }
            });
        });
        return call.ifNoItem().after(timeout).failWith(() -> Deadlines.timeout(endpoint, "no answer within "
                + Deadlines.human(timeout), "first_token"));
    }

    private HttpRequest.Builder request(String path, String body, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                .timeout(endpoint.total())
                .header("Accept", accept);
        if (endpoint.apiKey() != null) {
            builder.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        if (body != null) {
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return builder;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "the engine answered with something that is not JSON: "
                    + shown);
        }
    }

    static String write(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Splits the body into SSE events and feeds their payloads to the emitter. */
    private final class EventLines implements Flow.Subscriber<String> {
        private final MultiEmitter<? super JsonNode> emitter;
        private final String model;
        private final StringBuilder data = new StringBuilder();
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private boolean sawDone;

        EventLines(MultiEmitter<? super JsonNode> emitter, String model) {
            this.emitter = emitter;
            this.model = model;
        }

        Void refused(int status, String body) {
            finished.set(true);
            emitter.fail(UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model, status,
                    ErrorBodies.message(body)));
            return null;
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                dispatch();
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
            // "event:", "id:", "retry:" and ":" comment lines carry nothing these engines use.
        }

        private void dispatch() {
            if (data.isEmpty() || cancelled) {
                return;
            }
            String payload = data.toString().strip();
            data.setLength(0);
            if ("[DONE]".equals(payload)) {
                sawDone = true;
                return;
            }
            JsonNode chunk;
            try {
                chunk = JSON.readTree(payload);
            } catch (JsonProcessingException e) {
                fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR, endpoint.engine() + " sent a malformed stream chunk: "
                        + (payload.length() > 200 ? payload.substring(0, 200) + "..." : payload)));
                return;
            }
            if (ErrorBodies.isStreamError(chunk)) {
                fail(UpstreamErrors.inStream(endpoint.engine(), model, ErrorBodies.message(chunk)));
                return;
            }
            emitter.emit(chunk);
        }

        private void fail(InfercoreException e) {
            cancel();
            emitter.fail(e);
        }

        @Override
        public void onError(Throwable failure) {
            if (!cancelled) {
                emitter.fail(transportError(failure));
            }
        }

        @Override
        public void onComplete() {
            dispatch();
            if (cancelled) {
                return;
            }
            finished.set(true);
            if (sawDone) {
                emitter.complete();
            } else {
                emitter.fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR, endpoint.engine() + " at "
                        + endpoint.displayUrl() + " closed the stream before it finished (did the engine crash?)"));
            }
        }
    }

    /** A JSON object body from alternating keys and values, skipping null values. */
    public static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}
