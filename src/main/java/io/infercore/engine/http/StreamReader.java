package io.infercore.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.UpstreamErrors;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.parsetools.RecordParser;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one streamed answer into payloads by its {@link Framing}, on the connection's event loop:
 * a non-2xx status fails with the engine's message, the protocol's end marker must come before
 * the body ends, and an error payload inside the 200 stream fails it. Payloads are handed on as
 * text; only one that names an {@code "error"} member is parsed (an escaped {@code \"error\"}
 * inside a string value does not match), so a normal chunk is parsed once, by its reader.
 */
final class StreamReader {

    private static final String ERROR_MEMBER = "\"error\"";

    private final RemoteEndpoint endpoint;
    private final Framing framing;
    private final String model;
    private final MultiEmitter<? super String> emitter;
    private final StringBuilder data = new StringBuilder();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile boolean completed;
    private boolean sawEnd;

    StreamReader(RemoteEndpoint endpoint, Framing framing, String model, MultiEmitter<? super String> emitter) {
        this.endpoint = endpoint;
        this.framing = framing;
        this.model = model;
        this.emitter = emitter;
    }

    /** Whether the answer was read to its end marker (nothing left to reset). */
    boolean completed() {
        return completed;
    }

    boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }

    void read(HttpClientResponse response) {
        if (response.statusCode() / 100 != 2) {
            response.body().onComplete(b -> {
                if (finished.compareAndSet(false, true)) {
                    emitter.fail(UpstreamErrors.fromStatus(endpoint.engine(), endpoint.displayUrl(), model,
                            response.statusCode(), ErrorBodies.message(b.succeeded() ? EngineHttp.text(b.result()) : "")));
                }
            });
            return;
        }
        RecordParser parser = RecordParser.newDelimited("\n", this::line);
        response.exceptionHandler(this::broken);
        response.handler(parser);
        response.endHandler(v -> ended());
    }

    /** A failure before the answer (already mapped, an {@link CallPolicy.Unanswered}). */
    void failed(InfercoreException failure) {
        if (!cancelled && finished.compareAndSet(false, true)) {
            emitter.fail(failure);
        }
    }

    private void line(Buffer buffer) {
        if (cancelled || finished.get() || sawEnd && framing != Framing.SSE) {
            return;
        }
        String line = EngineHttp.text(buffer);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (framing == Framing.SSE) {
            sseLine(line);
        } else if (!line.isBlank()) {
            ndjsonLine(line);
        }
    }

    private void sseLine(String line) {
        if (line.isEmpty()) {
            dispatch();
        } else if (line.startsWith("data:")) {
            data.append(data.isEmpty() ? "" : "\n").append(line, line.startsWith("data: ") ? 6 : 5, line.length());
        }
        // "event:", "id:", "retry:" and ":" comment lines carry nothing these engines use.
    }

    private void dispatch() {
        if (data.isEmpty()) {
            return;
        }
        String payload = data.toString().strip();
        data.setLength(0);
        if ("[DONE]".equals(payload)) {
            sawEnd = true;
            return;
        }
        if (payload.contains(ERROR_MEMBER)) {
            JsonNode chunk = parseOrNull(payload);
            if (chunk == null) {
                fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR, endpoint.engine() + " sent a malformed stream chunk: "
                        + abbreviate(payload, 200)));
                return;
            }
            if (ErrorBodies.isStreamError(chunk)) {
                fail(UpstreamErrors.inStream(endpoint.engine(), model, ErrorBodies.message(chunk)));
                return;
            }
        }
        emitter.emit(payload);
    }

    private void ndjsonLine(String line) {
        if (framing == Framing.NDJSON_GENERATION) {
            String object = line.strip();
            if (!object.startsWith("{") || !object.endsWith("}")) {
                fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR, endpoint.engine() + " at " + endpoint.displayUrl()
                        + " sent a stream line that is not a JSON object: " + abbreviate(line, 120)));
                return;
            }
            if (line.contains(ERROR_MEMBER)) {
                JsonNode chunk = parseOrNull(line);
                if (chunk != null && chunk.hasNonNull("error")) {
                    JsonNode error = chunk.get("error");
                    fail(UpstreamErrors.inStream(endpoint.engine(), model,
                            error.isTextual() ? error.asText() : error.path("message").asText(error.toString())));
                    return;
                }
            }
            sawEnd = line.contains("\"done\":true");
        }
        emitter.emit(line);
    }

    /** The connection broke mid-answer (an engine that crashed). */
    private void broken(Throwable failure) {
        if (cancelled || !finished.compareAndSet(false, true)) {
            return;
        }
        emitter.fail(failure instanceof io.vertx.core.http.HttpClosedException ? closedEarly()
                : UpstreamErrors.fromTransport(endpoint.engine(), endpoint.displayUrl(), failure));
    }

    private void ended() {
        if (framing == Framing.SSE) {
            dispatch();
        }
        if (cancelled || !finished.compareAndSet(false, true)) {
            return;
        }
        if (sawEnd || framing == Framing.NDJSON) {
            completed = true;
            emitter.complete();
        } else {
            emitter.fail(closedEarly());
        }
    }

    private void fail(InfercoreException e) {
        if (finished.compareAndSet(false, true)) {
            cancel();
            emitter.fail(e); // the emitter's termination resets the request
        }
    }

    private InfercoreException closedEarly() {
        String what = framing == Framing.SSE ? "closed the stream before it finished (did the engine crash?)"
                : "ended the stream before its final (done) line";
        return new InfercoreException(ErrorKind.UPSTREAM_ERROR, endpoint.engine() + " at " + endpoint.displayUrl() + " " + what);
    }

    private static JsonNode parseOrNull(String text) {
        try {
            return EngineHttp.parse(text);
        } catch (InfercoreException e) {
            return null;
        }
    }

    private static String abbreviate(String s, int max) {
        String line = s.strip();
        return line.length() > max ? line.substring(0, max) + "..." : line;
    }
}
