package io.infercore.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.api.JsonText;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.ToolCall;
import io.infercore.engine.Usage;
import io.infercore.inference.OpenStream;
import io.smallrye.mutiny.Multi;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Ollama's reply objects, one JSON object per line: {@code done:false} lines with the new text
 * ({@code message.content} on chat, {@code response} on generate), then a {@code done:true} line
 * with {@code done_reason} and the metrics. Durations are nanoseconds, as Ollama counts them:
 * {@code prompt_eval_duration} runs from the request to the first token, {@code eval_duration}
 * from the first token to the end; a zero metric is left out, as Ollama leaves it out. A failure
 * after the first line is a {@code {"error":"..."}} line (the status is already 200), as Ollama
 * sends it. Text lines are built by hand: one is written per token.
 */
final class NdjsonLines {

    private final ObjectMapper mapper;
    private final boolean chat;
    private final String model;
    private final long startNanos;
    private long firstTokenNanos;
    private int toolCallIndex;

    NdjsonLines(ObjectMapper mapper, boolean chat, String model, long startNanos) {
        this.mapper = mapper;
        this.chat = chat;
        this.model = model;
        this.startNanos = startNanos;
    }

    /** The whole stream: a line per delta, the final line, or an error line. */
    Multi<String> stream(OpenStream stream, Function<Throwable, String> errorLine) {
        return stream.events().onItem().transform(this::lineOf).select().where(line -> !line.isEmpty())
                .onFailure().recoverWithItem(errorLine);
    }

    private String lineOf(StreamEvent event) {
        if (firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime();
        }
        if (event instanceof StreamEvent.Delta d) {
            if (!d.toolCalls().isEmpty()) {
                return toolCallLine(d.toolCalls());
            }
            boolean text = d.text() != null && !d.text().isEmpty();
            boolean reasoning = d.reasoning() != null && !d.reasoning().isEmpty();
            return text || reasoning ? textLine(d.text(), reasoning ? d.reasoning() : null) : "";
        }
        StreamEvent.Done done = (StreamEvent.Done) event;
        return write(finalLine(done.finishReason(), done.usage(), null, null, List.of()));
    }

    private String textLine(String text, String reasoning) {
        StringBuilder line = new StringBuilder(96 + (text == null ? 0 : text.length())).append("{\"model\":");
        JsonText.appendQuoted(line, model);
        line.append(",\"created_at\":\"").append(Instant.now()).append('"');
        line.append(chat ? ",\"message\":{\"role\":\"assistant\",\"content\":" : ",\"response\":");
        JsonText.appendQuoted(line, text == null ? "" : text);
        if (reasoning != null) {
            line.append(",\"thinking\":");
            JsonText.appendQuoted(line, reasoning);
        }
        return line.append(chat ? "}" : "").append(",\"done\":false}\n").toString();
    }

    private String toolCallLine(List<ToolCall> calls) {
        ObjectNode line = head();
        ObjectNode message = line.putObject("message").put("role", "assistant").put("content", "");
        message.set("tool_calls", toolCalls(calls));
        line.put("done", false);
        return write(line);
    }

    /** The final object: the whole answer when not streamed ({@code text} etc. set), empty text when streamed. */
    ObjectNode finalLine(String finishReason, Usage usage, String text, String reasoning, List<ToolCall> calls) {
        long end = System.nanoTime();
        long first = firstTokenNanos == 0 ? end : firstTokenNanos;
        ObjectNode line = head();
        if (chat) {
            ObjectNode message = line.putObject("message").put("role", "assistant").put("content", text == null ? "" : text);
            if (reasoning != null && !reasoning.isEmpty()) {
                message.put("thinking", reasoning);
            }
            if (!calls.isEmpty()) {
                message.set("tool_calls", toolCalls(calls));
            }
        } else {
            line.put("response", text == null ? "" : text);
            if (reasoning != null && !reasoning.isEmpty()) {
                line.put("thinking", reasoning);
            }
        }
        line.put("done", true).put("done_reason", doneReason(finishReason));
        Usage u = usage == null ? Usage.EMPTY : usage;
        positive(line, "total_duration", end - startNanos);
        positive(line, "prompt_eval_count", u.promptTokens());
        positive(line, "prompt_eval_duration", first - startNanos);
        positive(line, "eval_count", u.completionTokens());
        positive(line, "eval_duration", end - first);
        return line;
    }

    /** The answer to a request that was not streamed. */
    String whole(GenerationResult result) {
        return write(finalLine(result.finishReason(), result.usage(), result.text(), result.reasoning(),
                result.toolCalls())).stripTrailing();
    }

    /** What a request with nothing to generate answers: the model is loaded ({@code load}) or unloaded. */
    String loaded(boolean unload) {
        ObjectNode line = head();
        if (chat) {
            line.putObject("message").put("role", "assistant").put("content", "");
        } else {
            line.put("response", "");
        }
        return write(line.put("done", true).put("done_reason", unload ? "unload" : "load")).stripTrailing();
    }

    private ObjectNode head() {
        ObjectNode line = mapper.createObjectNode();
        line.put("model", model);
        line.put("created_at", Instant.now().toString());
        return line;
    }

    /** Ollama's calls: {@code arguments} is an object, not JSON text; text that is not an object is kept as a string. */
    private ArrayNode toolCalls(List<ToolCall> calls) {
        ArrayNode out = mapper.createArrayNode();
        for (ToolCall call : calls) {
            ObjectNode entry = out.addObject();
            if (call.id() != null) {
                entry.put("id", call.id());
            }
            ObjectNode function = entry.putObject("function").put("index", toolCallIndex++).put("name", call.name());
            function.set("arguments", arguments(call.arguments()));
        }
        return out;
    }

    private JsonNode arguments(String text) {
        try {
            JsonNode parsed = text == null || text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
            return parsed != null && parsed.isObject() ? parsed : mapper.getNodeFactory().textNode(text);
        } catch (Exception e) {
            return mapper.getNodeFactory().textNode(text);
        }
    }

    /** Ollama reports {@code stop} or {@code length}; a call of tools ends with {@code stop} there. */
    static String doneReason(String finishReason) {
        return "length".equals(finishReason) ? "length" : "stop";
    }

    private static void positive(ObjectNode line, String name, long value) {
        if (value > 0) {
            line.put(name, value);
        }
    }

    private String write(ObjectNode line) {
        try {
            return mapper.writeValueAsString(line) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
