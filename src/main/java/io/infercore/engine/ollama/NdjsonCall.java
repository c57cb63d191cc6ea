package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.UpstreamErrors;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streamed Ollama call ({@code /api/generate} or {@code /api/chat}) on Vert.x: POSTs a JSON
 * body and hands every NDJSON line to a {@link Sink}. It owns the wire-level rules of the Ollama
 * protocol that a generation must get right:
 * <ul>
 *   <li>a non-200 status → {@link UpstreamErrors#fromStatus} with Ollama's {@code {"error": ...}} text;</li>
 *   <li>an {@code {"error": ...}} line inside the 200 stream → {@link UpstreamErrors#inStream};</li>
 *   <li>a line that is not JSON, or the end of the body before the {@code done:true} line → 502;</li>
 *   <li>no first line within {@code timeouts.first_token} (Ollama sends its headers with the first
 *       line) or no done line within {@code timeouts.total} → 504, and the connection is closed;</li>
 *   <li>{@link #cancel()} closes the TCP connection at any point before the done line, which is
 *       how Ollama learns that the client went away and stops generating.</li>
 * </ul>
 * Lines are split on {@code \n} across TCP chunks; callbacks run on a Vert.x event loop.
 */
final class NdjsonCall {

    /** Receives the lines of one call; exactly one of {@link #failed} or {@link #ended} ends it. */
    interface Sink {
        /** A JSON object line without {@code error}; {@code raw} is the line as sent. */
        void line(JsonNode chunk, String raw);

        void failed(InfercoreException failure);

        /** The body ended after the done line. */
        void ended();
    }

    private enum State { RUNNING, DRAINING, CLOSED }

    private final Vertx vertx;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String model;
    private final InfercoreConfig.Timeouts timeouts;
    private final Sink sink;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private volatile HttpClientRequest request;
    private volatile long firstTokenTimer = -1;
    private volatile long totalTimer = -1;
    private Buffer pending = Buffer.buffer();
    private boolean sawLine;

    NdjsonCall(Vertx vertx, HttpClient http, ObjectMapper mapper, String baseUrl, String model,
               InfercoreConfig.Timeouts timeouts, Sink sink) {
        this.vertx = vertx;
        this.http = http;
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.model = model;
        this.timeouts = timeouts;
        this.sink = sink;
    }

    /** Sends {@code body} to {@code url}; returns at once. */
    NdjsonCall start(String url, String body) {
        firstTokenTimer = vertx.setTimer(timeouts.firstToken().toMillis(),
                id -> timeout("no first token within " + timeouts.firstToken().toMillis() + " ms"));
        totalTimer = vertx.setTimer(timeouts.total().toMillis(),
                id -> timeout("generation not finished within " + timeouts.total().toMillis() + " ms"));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/x-ndjson");
        http.request(options).onComplete(opened -> {
            if (opened.failed()) {
                fail(UpstreamErrors.fromTransport(OllamaEngine.TYPE, baseUrl, opened.cause()));
                return;
            }
            request = opened.result();
            if (state.get() == State.CLOSED) {
                request.reset();
                return;
            }
            request.send(Buffer.buffer(body, "UTF-8")).onComplete(sent -> {
                if (sent.failed()) {
                    fail(UpstreamErrors.fromTransport(OllamaEngine.TYPE, baseUrl, sent.cause()));
                } else {
                    read(sent.result());
                }
            });
        });
        return this;
    }

    /** Stops the call: before the done line this closes the connection; afterwards it does nothing. */
    void cancel() {
        if (state.compareAndSet(State.RUNNING, State.CLOSED)) {
            close();
        }
    }

    private void read(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            response.body().onComplete(body -> fail(UpstreamErrors.fromStatus(OllamaEngine.TYPE, baseUrl, model,
                    response.statusCode(), body.succeeded() ? errorText(mapper, body.result().toString(StandardCharsets.UTF_8)) : null)));
            return;
        }
        response.exceptionHandler(t -> fail(UpstreamErrors.fromTransport(OllamaEngine.TYPE, baseUrl, t)));
        response.handler(this::append);
        response.endHandler(v -> end());
    }

    private void append(Buffer chunk) {
        pending.appendBuffer(chunk);
        int start = 0;
        for (int i = 0; i < pending.length(); i++) {
            if (pending.getByte(i) == '\n') {
                line(pending.getString(start, i, "UTF-8"));
                start = i + 1;
            }
        }
        pending = start == 0 ? pending : pending.getBuffer(start, pending.length());
    }

    private void end() {
        if (pending.length() > 0) {
            line(pending.toString(StandardCharsets.UTF_8));
            pending = Buffer.buffer();
        }
        if (state.compareAndSet(State.DRAINING, State.CLOSED)) {
            sink.ended();
        } else {
            fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR, "ollama at " + baseUrl
                    + " ended the stream before its final (done) line"));
        }
    }

    private void line(String raw) {
        if (raw.isBlank() || state.get() != State.RUNNING) {
            return;
        }
        if (!sawLine) {
            sawLine = true;
            vertx.cancelTimer(firstTokenTimer);
        }
        JsonNode chunk;
        try {
            chunk = mapper.readTree(raw);
        } catch (Exception e) {
            chunk = null;
        }
        if (chunk == null || !chunk.isObject()) {
            fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR, "ollama at " + baseUrl
                    + " sent a stream line that is not a JSON object: " + abbreviate(raw)));
            return;
        }
        if (chunk.hasNonNull("error")) {
            fail(UpstreamErrors.inStream(OllamaEngine.TYPE, model, chunk.get("error").asText()));
            return;
        }
        boolean done = chunk.path("done").asBoolean(false);
        if (done && state.compareAndSet(State.RUNNING, State.DRAINING)) {
            vertx.cancelTimer(totalTimer);
        }
        try {
            sink.line(chunk, raw);
        } catch (RuntimeException e) {
            fail(e instanceof InfercoreException ie ? ie : new InfercoreException(ErrorKind.UPSTREAM_ERROR,
                    "ollama at " + baseUrl + " sent a line we could not read (" + e.getMessage() + "): " + abbreviate(raw)));
        }
    }

    private void timeout(String what) {
        fail(UpstreamErrors.fromTransport(OllamaEngine.TYPE, baseUrl, new TimeoutException(what)));
    }

    private void fail(InfercoreException failure) {
        State previous = state.getAndSet(State.CLOSED);
        if (previous != State.CLOSED) {
            close();
            sink.failed(failure);
        }
    }

    private void close() {
        vertx.cancelTimer(firstTokenTimer);
        vertx.cancelTimer(totalTimer);
        HttpClientRequest current = request;
        if (current != null) {
            current.reset(); // HTTP/1.1: closes the connection, so Ollama stops generating
        }
    }

    /** The message of Ollama's {@code {"error": "..."}} body, or the body itself when it is not that. */
    static String errorText(ObjectMapper mapper, String body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                JsonNode error = node.get("error");
                return error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
            }
        } catch (Exception notJson) {
            // plain text, e.g. "404 page not found"
        }
        return body;
    }

    private static String abbreviate(String s) {
        String line = s.strip();
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
