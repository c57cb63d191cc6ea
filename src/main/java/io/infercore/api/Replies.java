package io.infercore.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.StreamEvent;
import io.infercore.error.InfercoreException;
import io.infercore.inference.OpenStream;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestMulti;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Builds replies for endpoints that answer either JSON or an SSE stream from the same path,
 * decided by the request body. Status and content type are chosen when the routing step
 * finishes: a failure before the first token is a plain HTTP error in the envelope; a failure
 * after it ends the stream with an {@code error} event. Cancelling the reply (client gone)
 * cancels the engine stream.
 */
@ApplicationScoped
public class Replies {

    @Inject
    ObjectMapper mapper;

    private record Reply(int status, String contentType, String requestId, Multi<String> body) {
    }

    /** A JSON envelope around the item of {@code data}. */
    public <T> Multi<String> json(String requestId, Uni<T> data) {
        Uni<Reply> reply = data
                .map(d -> new Reply(200, MediaType.APPLICATION_JSON, requestId,
                        Multi.createFrom().item(write(Envelope.ok(requestId, d)))))
                .onFailure().recoverWithItem(t -> failure(requestId, "/api/v1", t));
        return restMulti(reply);
    }

    /**
     * The seed's SSE stream: {@code delta} events, then {@code done}, or {@code error}; a model
     * calling functions adds one {@code tool_calls} event per batch of whole calls before {@code done}.
     */
    public Multi<String> sse(String requestId, Uni<OpenStream> open) {
        Uni<Reply> reply = open
                .map(stream -> new Reply(200, "text/event-stream", requestId, frames(requestId, stream)))
                .onFailure().recoverWithItem(t -> failure(requestId, "/api/v1", t));
        return restMulti(reply);
    }

    /**
     * A route's reply in another protocol's shape, computed lazily: whatever {@code work} throws or
     * fails with before the first byte is renamed into the protocol's terms by {@code shape} and
     * written as an HTTP error in the path's shape; the status is decided before anything is written.
     */
    public Multi<String> deferred(String requestId, String path, String contentType,
                                  Supplier<Uni<? extends Multi<String>>> work, UnaryOperator<Throwable> shape) {
        return stream(requestId, path, contentType,
                Uni.createFrom().<Multi<String>>deferred(work).onFailure().transform(shape));
    }

    /** A missing JSON body is the caller's mistake: a 400, not a NullPointerException. */
    public static <T> T requireBody(T body) {
        if (body == null) {
            throw InfercoreException.invalid(null, "request body is required (a JSON object)");
        }
        return body;
    }

    /** Any stream of pre-formatted chunks (used by other protocols' translators). */
    public Multi<String> stream(String requestId, String path, String contentType, Uni<Multi<String>> chunks) {
        Uni<Reply> reply = chunks
                .map(body -> new Reply(200, contentType, requestId, body))
                .onFailure().recoverWithItem(t -> failure(requestId, path, t));
        return restMulti(reply);
    }

    private Multi<String> frames(String requestId, OpenStream stream) {
        return stream.events()
                .map(event -> {
                    if (event instanceof StreamEvent.Delta d) {
                        if (!d.toolCalls().isEmpty()) {
                            return frame("tool_calls", Map.of("tool_calls", ToolFields.data(d.toolCalls())));
                        }
                        return d.reasoning() == null ? textDelta(d.text()) : frame("delta", deltaWithReasoning(d));
                    }
                    return frame("done", doneData(stream, (StreamEvent.Done) event));
                })
                .onFailure().recoverWithItem(t -> {
                    ApiError error = ApiError.of(t, requestId);
                    return frame("error", Map.of("code", error.status(), "msg", error.message(), "request_id", requestId));
                });
    }

    /** The hot path of every stream: one frame per token, built without a general-purpose serializer. */
    static String textDelta(String text) {
        StringBuilder frame = new StringBuilder(32 + (text == null ? 0 : text.length()))
                .append("event: delta\ndata: {\"text\":");
        JsonText.appendQuoted(frame, text == null ? "" : text);
        return frame.append("}\n\n").toString();
    }

    private static Map<String, Object> deltaWithReasoning(StreamEvent.Delta d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", d.text() == null ? "" : d.text());
        data.put("reasoning", d.reasoning());
        return data;
    }

    private static Map<String, Object> doneData(OpenStream stream, StreamEvent.Done d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("finish_reason", d.finishReason());
        data.put("usage", UsageData.of(d.usage()));
        data.put("model_name", stream.modelName());
        data.put("engine_type", stream.engineType());
        return data;
    }

    public String frame(String event, Object data) {
        return "event: " + event + "\ndata: " + write(data) + "\n\n";
    }

    private Reply failure(String requestId, String path, Throwable t) {
        ApiError error = ApiError.of(t, requestId);
        return new Reply(error.status(), MediaType.APPLICATION_JSON, requestId,
                Multi.createFrom().item(write(ExceptionMappers.body(path, requestId, error))));
    }

    private static Multi<String> restMulti(Uni<Reply> reply) {
        Function<Reply, Map<String, List<String>>> headers = r -> Map.of(
                "Content-Type", List.of(r.contentType()),
                RequestIds.HEADER, List.of(r.requestId()),
                "Cache-Control", List.of("no-cache"));
        return RestMulti.fromUniResponse(reply, Reply::body, headers, Reply::status);
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
