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
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP to one remote engine, on Vert.x's non-blocking client ({@link UpstreamClients}). Every
 * failure leaves here already mapped by {@link UpstreamErrors}. Cancelling a call (a
 * {@link #sse} Multi or a pending Uni) resets its request, which closes the connection: the engine
 * sees the disconnect and stops generating. The API key is sent as a Bearer token and appears in
 * no message.
 */
public final class UpstreamHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A whole answer, whatever its status. */
    public record Reply(int statusCode, String body) {
    }

    private final RemoteEndpoint endpoint;
    private final HttpClient client;
    private final Vertx vertx;

    public UpstreamHttp(RemoteEndpoint endpoint) {
        this.endpoint = endpoint;
        this.client = endpoint.configured() ? UpstreamClients.client() : null;
        this.vertx = endpoint.configured() ? UpstreamClients.vertx() : null;
    }

    /**
     * Runs {@code call} on a Vert.x context. A call started from any other thread (the Java API,
     * tests, a worker) would get its response events on the connection's event loop while its
     * handlers are attached from another: a body could end before its handler was set and read
     * as empty. Calls made from a request's event loop (the service's path) run in place.
     */
    private void onContext(Runnable call) {
        if (Vertx.currentContext() != null) {
            call.run();
        } else {
            vertx.runOnContext(v -> call.run());
        }
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
    public Uni<Reply> get(String path, Duration timeout) {
        if (!endpoint.configured()) {
            return Uni.createFrom().failure(endpoint.notConfigured());
        }
        return send(options(HttpMethod.GET, path, "application/json"), null, timeout);
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
        return send(options(HttpMethod.POST, path, "application/json"), body, endpoint.firstToken()).map(response -> {
            if (response.statusCode() / 100 != 2) {
                throw UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model, response.statusCode(),
                        ErrorBodies.message(response.body()));
            }
            int embedded = ErrorBodies.embeddedStatus(response.body());
            if (embedded != 0) {
                throw UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model, embedded,
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
        String text = write(body);
        return Multi.createFrom().emitter(emitter -> {
            EventLines lines = new EventLines(emitter, model);
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            emitter.onTermination(() -> {
                if (!lines.finished.get()) {
                    lines.cancelled = true;
                    HttpClientRequest request = sent.get();
                    if (request != null) {
                        request.reset();
                    }
                }
            });
            onContext(() -> openStream(path, text, lines, sent, true));
        });
    }

    /** Opens one SSE exchange; {@code mayRetry}: once, when a kept-alive connection was already closing. */
    private void openStream(String path, String text, EventLines lines, AtomicReference<HttpClientRequest> sent,
                            boolean mayRetry) {
        client.request(options(HttpMethod.POST, path, "text/event-stream")).onComplete(opened -> {
            if (opened.failed()) {
                lines.failed(opened.cause());
                return;
            }
            HttpClientRequest request = opened.result();
            sent.set(request);
            if (lines.cancelled) {
                request.reset();
                return;
            }
            request.putHeader("Content-Type", "application/json");
            request.send(text).onComplete(answered -> {
                if (answered.failed()) {
                    if (mayRetry && !lines.cancelled && isStaleConnection(answered.cause())) {
                        openStream(path, text, lines, sent, false);
                    } else {
                        lines.failed(answered.cause());
                    }
                    return;
                }
                HttpClientResponse response = answered.result();
                if (response.statusCode() / 100 != 2) {
                    response.body().onComplete(b -> lines.refused(response.statusCode(),
                            b.succeeded() ? b.result().toString(StandardCharsets.UTF_8) : ""));
                    return;
                }
                RecordParser parser = RecordParser.newDelimited("\n", line -> lines.line(stripCr(line)));
                response.exceptionHandler(lines::failed);
                response.handler(parser);
                response.endHandler(v -> lines.ended());
            });
        });
    }

    /**
     * Whether a request failed because the kept-alive connection it was sent on had just been
     * closed by the server, before any answer: llama.cpp's server, for one, advertises keep-alive
     * but closes the connection after every streamed answer, and a request that reuses it in that
     * moment is lost. Such a request never reached the engine's handler, so it is sent once more
     * on a new connection (as curl and OkHttp do). A refused or timed-out connect is not this.
     */
    static boolean isStaleConnection(Throwable failure) {
        if (failure instanceof HttpClosedException) {
            return true;
        }
        String message = failure.getMessage();
        return failure instanceof IOException && message != null
                && (message.contains("Connection reset") || message.contains("Broken pipe"));
    }

    private static String stripCr(Buffer line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** A transport failure (refused, timeout, reset) as the engine's mapped error. */
    public InfercoreException transportError(Throwable failure) {
        return UpstreamErrors.fromTransport(endpoint.engine(), endpoint.displayUrl(), failure);
    }

    /** One exchange read whole; cancelling the Uni resets the request. */
    private Uni<Reply> send(RequestOptions options, String body, Duration timeout) {
        Uni<Reply> call = Uni.createFrom().emitter(emitter -> {
            AtomicBoolean ended = new AtomicBoolean();
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            emitter.onTermination(() -> {
                if (ended.compareAndSet(false, true)) {
                    HttpClientRequest request = sent.get();
                    if (request != null) {
                        request.reset();
                    }
                }
            });
            onContext(() -> exchange(options, body, ended, sent, emitter, true));
        });
        return call.ifNoItem().after(timeout).failWith(() -> Deadlines.timeout(endpoint, "no answer within "
                + Deadlines.human(timeout), "first_token"));
    }

    /** One attempt of {@link #send}; {@code mayRetry}: once, on a stale kept-alive connection. */
    private void exchange(RequestOptions options, String body, AtomicBoolean ended,
                          AtomicReference<HttpClientRequest> sent, UniEmitter<? super Reply> emitter,
                          boolean mayRetry) {
        AtomicBoolean answered = new AtomicBoolean();
        client.request(options)
                .compose(request -> {
                    sent.set(request);
                    if (ended.get()) {
                        request.reset();
                    }
                    if (body == null) {
                        return request.send();
                    }
                    request.putHeader("Content-Type", "application/json");
                    return request.send(body);
                })
                .compose(response -> {
                    answered.set(true);
                    return response.body().map(b -> new Reply(response.statusCode(), b.toString(StandardCharsets.UTF_8)));
                })
                .onComplete(result -> {
                    if (ended.get()) {
                        return; // cancelled or timed out: nobody is listening
                    }
                    if (result.failed() && mayRetry && !answered.get() && isStaleConnection(result.cause())) {
                        exchange(options, body, ended, sent, emitter, false);
                        return;
                    }
                    if (!ended.compareAndSet(false, true)) {
                        return;
                    }
                    if (result.failed()) {
                        emitter.fail(transportError(result.cause()));
                    } else {
                        emitter.complete(result.result());
                    }
                });
    }

    private RequestOptions options(HttpMethod method, String path, String accept) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(endpoint.baseUrl() + path)
                .setConnectTimeout(endpoint.connect().toMillis())
                .setIdleTimeout(endpoint.total().toMillis())
                .putHeader("Accept", accept);
        if (endpoint.apiKey() != null) {
            options.putHeader("Authorization", "Bearer " + endpoint.apiKey());
        }
        return options;
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
    private final class EventLines {
        private final MultiEmitter<? super JsonNode> emitter;
        private final String model;
        private final StringBuilder data = new StringBuilder();
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile boolean cancelled;
        private boolean sawDone;

        EventLines(MultiEmitter<? super JsonNode> emitter, String model) {
            this.emitter = emitter;
            this.model = model;
        }

        void refused(int status, String body) {
            if (finished.compareAndSet(false, true)) {
                emitter.fail(UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model, status,
                        ErrorBodies.message(body)));
            }
        }

        /** Stops reading after a bad chunk: the emitter's termination resets the request. */
        void cancel() {
            cancelled = true;
        }

        void line(String line) {
            if (cancelled || finished.get()) {
                return;
            }
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

        /** A failure to connect, or the connection lost mid-stream (an engine that crashed). */
        void failed(Throwable failure) {
            if (cancelled || !finished.compareAndSet(false, true)) {
                return;
            }
            if (isStaleConnection(failure)) {
                emitter.fail(closedEarly());
            } else {
                emitter.fail(transportError(failure));
            }
        }

        void ended() {
            dispatch();
            if (cancelled || !finished.compareAndSet(false, true)) {
                return;
            }
            if (sawDone) {
                emitter.complete();
            } else {
                emitter.fail(closedEarly());
            }
        }

        private InfercoreException closedEarly() {
            return new InfercoreException(ErrorKind.UPSTREAM_ERROR, endpoint.engine() + " at "
                    + endpoint.displayUrl() + " closed the stream before it finished (did the engine crash?)");
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
