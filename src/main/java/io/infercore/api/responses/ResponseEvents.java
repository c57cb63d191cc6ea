package io.infercore.api.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.api.JsonText;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.ToolCall;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns an engine stream into the Responses API's SSE events, each {@code event: <type>} with a
 * {@code sequence_number} counted from 0: {@code response.created}, {@code response.in_progress};
 * for the message {@code response.output_item.added}, {@code response.content_part.added}, one
 * {@code response.output_text.delta} per token, {@code response.output_text.done},
 * {@code response.content_part.done}, {@code response.output_item.done}; for each function call
 * its item added, {@code response.function_call_arguments.delta} (the whole arguments) and
 * {@code .done}, item done; reasoning as a reasoning item with {@code response.reasoning_text.*};
 * then {@code response.completed}, or {@code response.incomplete} when the token limit cut it
 * (as OpenAI does). Not thread-safe: one instance per stream, fed in order.
 */
final class ResponseEvents {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectNode started;
    private final Function<Object, String> json;
    private final Consumer<ObjectNode> onFinished;
    private final ArrayNode output = F.arrayNode();
    private int sequence;
    /** The item being streamed: text or reasoning; null when none is open. */
    private String openKind;
    private String openId;
    private final StringBuilder openText = new StringBuilder();

    /**
     * @param onFinished receives the finished response (to store it) before its last event is written
     */
    ResponseEvents(ObjectNode started, Function<Object, String> json, Consumer<ObjectNode> onFinished) {
        this.started = started;
        this.json = json;
        this.onFinished = onFinished;
    }

    List<String> opening() {
        return List.of(event("response.created", F.objectNode().set("response", started)),
                event("response.in_progress", F.objectNode().set("response", started)));
    }

    List<String> framesOf(StreamEvent event) {
        List<String> frames = new ArrayList<>(4);
        if (event instanceof StreamEvent.Delta d) {
            if (d.reasoning() != null && !d.reasoning().isEmpty()) {
                ensureOpen("reasoning", frames);
                frames.add(textDelta("response.reasoning_text.delta", d.reasoning()));
            }
            if (d.text() != null && !d.text().isEmpty()) {
                ensureOpen("text", frames);
                frames.add(textDelta("response.output_text.delta", d.text()));
            }
            for (ToolCall call : d.toolCalls()) {
                close(frames);
                call(call, frames);
            }
            return frames;
        }
        StreamEvent.Done done = (StreamEvent.Done) event;
        if (output.isEmpty() && openKind == null) {
            ensureOpen("text", frames); // the reply is one (possibly empty) message at least
        }
        close(frames);
        ObjectNode finished = ResponseObject.finished(started, output, done.finishReason(), done.usage());
        onFinished.accept(finished);
        String type = "incomplete".equals(finished.path("status").asText()) ? "response.incomplete" : "response.completed";
        frames.add(event(type, F.objectNode().set("response", finished)));
        return frames;
    }

    /** OpenAI's {@code error} event; the stream ends after it. */
    String error(String code, String message, String param) {
        ObjectNode data = F.objectNode();
        data.put("code", code);
        data.put("message", message);
        data.put("param", param);
        return event("error", data);
    }

    private void ensureOpen(String kind, List<String> frames) {
        if (kind.equals(openKind)) {
            return;
        }
        close(frames);
        openKind = kind;
        openText.setLength(0);
        boolean text = kind.equals("text");
        openId = ResponseObject.newId(text ? "msg_" : "rs_");
        ObjectNode item = text ? ResponseObject.message(openId, null, "in_progress") : ResponseObject.reasoning(openId, null);
        frames.add(event("response.output_item.added", F.objectNode().put("output_index", output.size()).set("item", item)));
        ObjectNode part = text ? ResponseObject.outputText("") : F.objectNode().put("type", "reasoning_text").put("text", "");
        frames.add(event("response.content_part.added", located().set("part", part)));
    }

    private void close(List<String> frames) {
        if (openKind == null) {
            return;
        }
        boolean text = openKind.equals("text");
        String whole = openText.toString();
        frames.add(event(text ? "response.output_text.done" : "response.reasoning_text.done", withLogprobs(
                located().put("text", whole), text)));
        ObjectNode part = text ? ResponseObject.outputText(whole) : F.objectNode().put("type", "reasoning_text").put("text", whole);
        frames.add(event("response.content_part.done", located().set("part", part)));
        ObjectNode item = text ? ResponseObject.message(openId, whole, "completed") : ResponseObject.reasoning(openId, whole);
        frames.add(event("response.output_item.done", F.objectNode().put("output_index", output.size()).set("item", item)));
        output.add(item);
        openKind = null;
    }

    private void call(ToolCall call, List<String> frames) {
        String id = ResponseObject.newId("fc_");
        ToolCall named = call.id() == null || call.id().isBlank()
                ? new ToolCall(ResponseObject.newId("call_"), call.name(), call.arguments()) : call;
        int index = output.size();
        frames.add(event("response.output_item.added", F.objectNode().put("output_index", index)
                .set("item", ResponseObject.functionCall(id, named, "in_progress"))));
        frames.add(event("response.function_call_arguments.delta", F.objectNode().put("item_id", id)
                .put("output_index", index).put("delta", named.arguments())));
        frames.add(event("response.function_call_arguments.done", F.objectNode().put("item_id", id)
                .put("output_index", index).put("name", named.name()).put("arguments", named.arguments())));
        ObjectNode item = ResponseObject.functionCall(id, named, "completed");
        frames.add(event("response.output_item.done", F.objectNode().put("output_index", index).set("item", item)));
        output.add(item);
    }

    private ObjectNode located() {
        return F.objectNode().put("item_id", openId).put("output_index", output.size()).put("content_index", 0);
    }

    private static ObjectNode withLogprobs(ObjectNode data, boolean text) {
        if (text) {
            data.putArray("logprobs");
        }
        return data;
    }

    /** The hot path: one frame per token, built without the general-purpose serializer. */
    private String textDelta(String type, String delta) {
        openText.append(delta);
        StringBuilder f = new StringBuilder(160 + delta.length()).append("event: ").append(type)
                .append("\ndata: {\"type\":\"").append(type).append("\",\"sequence_number\":").append(sequence++)
                .append(",\"item_id\":\"").append(openId).append("\",\"output_index\":").append(output.size())
                .append(",\"content_index\":0,\"delta\":");
        JsonText.appendQuoted(f, delta);
        if (type.equals("response.output_text.delta")) {
            f.append(",\"logprobs\":[]");
        }
        return f.append("}\n\n").toString();
    }

    private String event(String type, ObjectNode data) {
        ObjectNode ordered = F.objectNode().put("type", type).put("sequence_number", sequence++);
        ordered.setAll(data);
        return "event: " + type + "\ndata: " + json.apply(ordered) + "\n\n";
    }
}
