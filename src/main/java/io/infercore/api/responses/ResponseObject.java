package io.infercore.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.ToolCall;
import io.infercore.engine.Usage;

import java.time.Instant;
import java.util.UUID;

/**
 * OpenAI's {@code response} object and its output items, built as JSON trees: the same tree is
 * answered, streamed inside {@code response.*} events and stored for {@code GET} and
 * {@code previous_response_id}. Members OpenAI sends as {@code null} are sent as {@code null}.
 */
final class ResponseObject {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ResponseObject() {
    }

    /** A new id with OpenAI's prefix; random, so it is safe as a file name. */
    static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    /** The response before any output: status {@code in_progress}, echoing the request. */
    static ObjectNode started(String id, String model, ResponsesRequest b) {
        ObjectNode r = F.objectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", Instant.now().getEpochSecond());
        r.put("status", "in_progress");
        r.putNull("completed_at");
        r.putNull("error");
        r.putNull("incomplete_details");
        r.put("instructions", b.instructions());
        r.put("max_output_tokens", b.maxOutputTokens());
        r.put("model", model);
        r.putArray("output");
        r.put("parallel_tool_calls", true);
        r.put("previous_response_id", b.previousResponseId());
        r.putObject("reasoning").put("effort", b.reasoning() == null ? null : b.reasoning().path("effort").asText(null))
                .putNull("summary");
        r.put("store", b.storing());
        r.put("temperature", b.temperature() == null ? 1.0 : b.temperature());
        r.putObject("text").set("format", b.format());
        r.set("tool_choice", b.toolChoice() == null || b.toolChoice().isNull() ? F.textNode("auto") : b.toolChoice());
        r.set("tools", b.tools() == null || b.tools().isNull() ? F.arrayNode() : b.tools());
        r.put("top_p", b.topP() == null ? 1.0 : b.topP());
        r.put("truncation", "disabled");
        r.putNull("usage");
        r.putNull("user");
        r.set("metadata", b.metadata() == null || b.metadata().isNull() ? F.objectNode() : b.metadata());
        r.put("background", false);
        return r;
    }

    /** {@code started} finished with {@code output}: completed, or incomplete when the token limit cut it. */
    static ObjectNode finished(ObjectNode started, ArrayNode output, String finishReason, Usage usage) {
        ObjectNode r = started.deepCopy();
        boolean cut = "length".equals(finishReason);
        r.put("status", cut ? "incomplete" : "completed");
        if (cut) {
            r.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else {
            r.put("completed_at", Instant.now().getEpochSecond());
        }
        r.set("output", output);
        r.set("usage", usage(usage));
        return r;
    }

    /** Every output item of a whole generation: reasoning, the message, then the calls. */
    static ArrayNode output(GenerationResult result) {
        ArrayNode output = F.arrayNode();
        if (result.reasoning() != null && !result.reasoning().isEmpty()) {
            output.add(reasoning(newId("rs_"), result.reasoning()));
        }
        boolean hasText = result.text() != null && !result.text().isEmpty();
        if (hasText || result.toolCalls().isEmpty()) {
            output.add(message(newId("msg_"), result.text() == null ? "" : result.text(), "completed"));
        }
        result.toolCalls().forEach(call -> output.add(functionCall(newId("fc_"), call, "completed")));
        return output;
    }

    static ObjectNode message(String id, String text, String status) {
        ObjectNode m = F.objectNode();
        m.put("type", "message");
        m.put("id", id);
        m.put("status", status);
        m.put("role", "assistant");
        ArrayNode content = m.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return m;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = F.objectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode functionCall(String id, ToolCall call, String status) {
        ObjectNode c = F.objectNode();
        c.put("type", "function_call");
        c.put("id", id);
        c.put("call_id", call.id() == null || call.id().isBlank() ? newId("call_") : call.id());
        c.put("name", call.name());
        c.put("arguments", status.equals("completed") ? call.arguments() : "");
        c.put("status", status);
        return c;
    }

    static ObjectNode reasoning(String id, String text) {
        ObjectNode r = F.objectNode();
        r.put("type", "reasoning");
        r.put("id", id);
        r.putArray("summary");
        ArrayNode content = r.putArray("content");
        if (text != null) {
            content.addObject().put("type", "reasoning_text").put("text", text);
        }
        return r;
    }

    static ObjectNode usage(Usage usage) {
        Usage u = usage == null ? Usage.EMPTY : usage;
        ObjectNode n = F.objectNode();
        n.put("input_tokens", u.promptTokens());
        n.putObject("input_tokens_details").put("cached_tokens", 0);
        n.put("output_tokens", u.completionTokens());
        n.putObject("output_tokens_details").put("reasoning_tokens", 0);
        n.put("total_tokens", u.totalTokens());
        return n;
    }

    /** What a deletion answers. */
    static JsonNode deleted(String id) {
        return F.objectNode().put("id", id).put("object", "response").put("deleted", true);
    }
}
