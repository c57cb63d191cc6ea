package io.infercore.api.anthropic;

import io.infercore.api.JsonText;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.ToolCall;
import io.infercore.engine.Usage;
import io.infercore.inference.OpenStream;
import io.smallrye.mutiny.Multi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns an engine stream into Anthropic's SSE events, in Anthropic's order: {@code message_start}
 * (empty content), then per content block {@code content_block_start}, its deltas
 * ({@code thinking_delta}, {@code text_delta} or one {@code input_json_delta} holding a whole
 * call's arguments) and {@code content_block_stop}; a {@code ping} after the first block opens;
 * {@code message_delta} with {@code stop_reason} and the usage; {@code message_stop}. A block is
 * opened when its first delta arrives, so a stream of text only is one text block. A failure after
 * the first byte is an {@code error} event, as Anthropic sends one. Cancelling the returned stream
 * (client gone) cancels the engine stream.
 */
final class MessageStream {

    private final Function<Object, String> json;
    private int index = -1;
    /** text, thinking or null when no block is open. */
    private String open;
    private boolean pinged;
    private boolean calledTools;

    private MessageStream(Function<Object, String> json) {
        this.json = json;
    }

    static Multi<String> of(String id, OpenStream stream, Function<Object, String> json,
                            Function<Throwable, String> errorEvent) {
        MessageStream s = new MessageStream(json);
        Multi<String> body = stream.events().onItem().transformToIterable(s::framesOf);
        Multi<String> all = Multi.createBy().concatenating().streams(Multi.createFrom().item(s.start(id, stream)), body);
        return all.onFailure().recoverWithItem(errorEvent);
    }

    private String start(String id, OpenStream stream) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", stream.modelName());
        message.put("content", List.of());
        message.put("stop_reason", null);
        message.put("stop_sequence", null);
        message.put("usage", new AnthropicReplies.AnthropicUsage(0, 0));
        return event("message_start", Map.of("type", "message_start", "message", message));
    }

    private List<String> framesOf(StreamEvent event) {
        List<String> frames = new ArrayList<>(3);
        if (event instanceof StreamEvent.Delta d) {
            if (d.reasoning() != null && !d.reasoning().isEmpty()) {
                ensureOpen("thinking", frames);
                frames.add(event("content_block_delta", Map.of("type", "content_block_delta", "index", index,
                        "delta", Map.of("type", "thinking_delta", "thinking", d.reasoning()))));
            }
            if (d.text() != null && !d.text().isEmpty()) {
                ensureOpen("text", frames);
                frames.add(textDelta(d.text()));
            }
            for (ToolCall call : d.toolCalls()) {
                toolUse(call, frames);
            }
            return frames;
        }
        StreamEvent.Done done = (StreamEvent.Done) event;
        if (index < 0) {
            ensureOpen("text", frames); // Anthropic's message has at least its (empty) text block
        }
        close(frames);
        Usage u = done.usage() == null ? Usage.EMPTY : done.usage();
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", AnthropicReplies.stopReasonOf(done.finishReason(), calledTools));
        delta.put("stop_sequence", null);
        frames.add(event("message_delta", Map.of("type", "message_delta", "delta", delta,
                "usage", Map.of("input_tokens", u.promptTokens(), "output_tokens", u.completionTokens()))));
        frames.add(event("message_stop", Map.of("type", "message_stop")));
        return frames;
    }

    private void toolUse(ToolCall call, List<String> frames) {
        close(frames);
        calledTools = true;
        index++;
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", "tool_use");
        block.put("id", AnthropicReplies.toolUseId(call));
        block.put("name", call.name());
        block.put("input", Map.of());
        frames.add(event("content_block_start", Map.of("type", "content_block_start", "index", index,
                "content_block", block)));
        ping(frames);
        String arguments = AnthropicReplies.inputOf(call.arguments()).toString();
        frames.add(event("content_block_delta", Map.of("type", "content_block_delta", "index", index,
                "delta", Map.of("type", "input_json_delta", "partial_json", arguments))));
        frames.add(event("content_block_stop", Map.of("type", "content_block_stop", "index", index)));
    }

    private void ensureOpen(String type, List<String> frames) {
        if (type.equals(open)) {
            return;
        }
        close(frames);
        open = type;
        index++;
        Map<String, Object> block = type.equals("text") ? Map.of("type", "text", "text", "")
                : Map.of("type", "thinking", "thinking", "", "signature", "");
        frames.add(event("content_block_start", Map.of("type", "content_block_start", "index", index,
                "content_block", block)));
        ping(frames);
    }

    /** Anthropic sends a ping once the first block has started. */
    private void ping(List<String> frames) {
        if (!pinged) {
            pinged = true;
            frames.add("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        }
    }

    private void close(List<String> frames) {
        if (open != null) {
            if (open.equals("thinking")) {
                frames.add(event("content_block_delta", Map.of("type", "content_block_delta", "index", index,
                        "delta", Map.of("type", "signature_delta", "signature", ""))));
            }
            frames.add(event("content_block_stop", Map.of("type", "content_block_stop", "index", index)));
            open = null;
        }
    }

    /** The hot path: one frame per token, built without the general-purpose serializer. */
    private String textDelta(String text) {
        StringBuilder f = new StringBuilder(128 + text.length())
                .append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":").append(index)
                .append(",\"delta\":{\"type\":\"text_delta\",\"text\":");
        JsonText.appendQuoted(f, text);
        return f.append("}}\n\n").toString();
    }

    private String event(String name, Object data) {
        return "event: " + name + "\ndata: " + json.apply(data) + "\n\n";
    }
}
