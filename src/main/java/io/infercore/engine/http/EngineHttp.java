package io.infercore.engine.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.UpstreamErrors;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one upstream transport: every call to a remote engine (vLLM, SGLang, Ollama; streamed or
 * not, made by us or by LangChain4j through {@link Lc4jHttpClient}) goes through here, on the one
 * Vert.x client of {@link VertxClients}, bounded and resent by the endpoint's {@link CallPolicy}.
 * Every failure leaves here mapped by {@link UpstreamErrors}. Cancelling a call resets its
 * request, which closes the connection: the engine sees the disconnect and stops generating. The
 * API key is sent as a Bearer token and appears in no message.
 *
 * <p>Streams are split into payloads ({@link Framing}) but not parsed: whoever reads a payload
 * (LangChain4j, or an adapter's own reader) parses it once. Only a payload that names an
 * {@code "error"} member is parsed here, to tell an error inside a 200 stream from data.
 */
public final class EngineHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A whole answer, whatever its status. */
    public record Reply(int statusCode, String body) {
    }

    private final RemoteEndpoint endpoint;
    private final CallPolicy policy;
    private final HttpClient client;
    private final Vertx vertx;

    public EngineHttp(RemoteEndpoint endpoint) {
        this.endpoint = endpoint;
        this.policy = new CallPolicy(endpoint);
        this.client = endpoint.configured() ? VertxClients.client() : null;
        this.vertx = endpoint.configured() ? VertxClients.vertx() : null;
    }

    public RemoteEndpoint endpoint() {
        return endpoint;
    }

    public CallPolicy policy() {
        return policy;
    }

    /** {@code GET path} whatever the status, within {@code timeout} (health probes: no breaker). */
    public Uni<Reply> get(String path, Duration timeout) {
        return call(HttpMethod.GET, path, null, timeout, false);
    }

    /** {@code GET path}: the 2xx body as JSON. */
    public Uni<JsonNode> getJson(String path, Duration timeout) {
        return call(HttpMethod.GET, path, null, timeout, true).map(reply -> parse(success(reply, null)));
    }

    /** {@code POST path} with a JSON body; the 2xx answer as JSON, within the first-token timeout. */
    public Uni<JsonNode> postJson(String path, Object body, String model) {
        return postRaw(path, write(body), model).map(EngineHttp::parse);
    }

    /** {@code POST path} with a JSON text; the 2xx answer's text, within the first-token timeout. */
    public Uni<String> postRaw(String path, String body, String model) {
        return send(HttpMethod.POST, path, body, model);
    }

    /** {@code method path} with an optional JSON body; the 2xx answer's text, within the first-token timeout. */
    public Uni<String> send(HttpMethod method, String path, String body, String model) {
        return call(method, path, body, endpoint.firstToken(), true).map(reply -> success(reply, model));
    }

    /**
     * {@code POST path} answered with a stream: its payloads, unparsed. Bounded by the endpoint's
     * first-token and total timeouts ({@code total}: false for open-ended streams such as a pull),
     * resent only while nothing has arrived.
     */
    public Multi<String> stream(String path, String body, Framing framing, String model, boolean total) {
        if (!endpoint.configured()) {
            return Multi.createFrom().failure(endpoint.notConfigured());
        }
        return policy.stream(() -> Multi.createFrom().emitter(emitter -> {
            StreamReader reader = new StreamReader(endpoint, framing, model, emitter);
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            emitter.onTermination(() -> {
                if (!reader.completed()) {
                    reader.cancel();
                    HttpClientRequest request = sent.get();
                    if (request != null) {
                        request.reset();
                    }
                }
            });
            onContext(() -> open(path, body, framing, reader, sent));
        }), total);
    }

    /** A stream of SSE {@code data:} payloads, each parsed (for readers that are not LangChain4j). */
    public Multi<JsonNode> sse(String path, Object body, String model) {
        return stream(path, write(body), Framing.SSE, model, true).map(EngineHttp::parse);
    }

    /** A transport failure (refused, timeout, reset) as the engine's mapped error. */
    public InfercoreException transportError(Throwable failure) {
        return UpstreamErrors.fromTransport(endpoint.engine(), endpoint.displayUrl(), failure);
    }

    private void open(String path, String body, Framing framing, StreamReader reader,
                      AtomicReference<HttpClientRequest> sent) {
        client.request(options(HttpMethod.POST, path, framing.accept)).onComplete(opened -> {
            if (opened.failed()) {
                reader.failed(unanswered(opened.cause()));
                return;
            }
            HttpClientRequest request = opened.result();
            sent.set(request);
            if (reader.cancelled()) {
                request.reset();
                return;
            }
            request.putHeader("Content-Type", "application/json");
            request.send(body).onComplete(answered -> {
                if (answered.failed()) {
                    reader.failed(unanswered(answered.cause()));
                } else {
                    reader.read(answered.result());
                }
            });
        });
    }

    /** One exchange read whole (guarded by the policy); cancelling it resets the request. */
    private Uni<Reply> call(HttpMethod method, String path, String body, Duration timeout, boolean breaker) {
        if (!endpoint.configured()) {
            return Uni.createFrom().failure(endpoint.notConfigured());
        }
        return policy.call(() -> Uni.createFrom().emitter(emitter -> {
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
            AtomicBoolean answered = new AtomicBoolean();
            onContext(() -> client.request(options(method, path, "application/json"))
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
                        if (!ended.compareAndSet(false, true)) {
                            return; // cancelled or timed out: nobody is listening
                        }
                        if (result.succeeded()) {
                            emitter.complete(result.result());
                        } else {
                            emitter.fail(answered.get() ? transportError(result.cause()) : unanswered(result.cause()));
                        }
                    }));
        }), timeout, "first_token", breaker);
    }

    /** A failure before any status line arrived: the request never reached the engine's handler. */
    private InfercoreException unanswered(Throwable failure) {
        InfercoreException mapped = transportError(failure);
        return mapped instanceof CallPolicy.Unanswered ? mapped : new CallPolicy.Unanswered(mapped);
    }

    private String success(Reply reply, String model) {
        if (reply.statusCode() / 100 != 2) {
            throw UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model, reply.statusCode(),
                    ErrorBodies.message(reply.body()));
        }
        int embedded = ErrorBodies.embeddedStatus(reply.body());
        if (embedded != 0) {
            throw UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model, embedded,
                    ErrorBodies.message(reply.body()));
        }
        return reply.body();
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

    public static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "the engine answered with something that is not JSON: "
                    + shown);
        }
    }

    public static String write(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
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

    static String text(Buffer buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
