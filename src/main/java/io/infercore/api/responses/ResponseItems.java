package io.infercore.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.ToolCall;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * Responses API items as engine turns: messages (content a string or text parts), a
 * {@code function_call} joins the assistant turn before it (or starts one), a
 * {@code function_call_output} is a tool turn; reasoning items are not sent back to the model.
 */
final class ResponseItems {

    private ResponseItems() {
    }

    static List<ChatMessage> toMessages(JsonNode items) {
        List<ChatMessage> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = "input[" + i + "]";
            if (!item.isObject()) {
                throw InfercoreException.invalid("input", where + " must be an object");
            }
            String type = item.path("type").asText("message");
            switch (type) {
                case "message" -> out.add(message(where, item));
                case "function_call" -> call(where, item, out);
                case "function_call_output" -> {
                    String callId = item.path("call_id").asText("");
                    if (callId.isEmpty()) {
                        throw InfercoreException.invalid("input", where + ".call_id is required");
                    }
                    out.add(new ChatMessage("tool", text(where + ".output", item.get("output")), null, callId));
                }
                case "reasoning" -> {
                    // the model's earlier thinking is not replayed
                }
                default -> throw InfercoreException.invalid("input", where + ": item type '" + type + "' is not "
                        + "supported (message, function_call and function_call_output are)");
            }
        }
        return out;
    }

    private static ChatMessage message(String where, JsonNode item) {
        String role = item.path("role").asText("");
        if (role.equals("developer")) {
            role = "system";
        }
        if (!role.equals("user") && !role.equals("assistant") && !role.equals("system")) {
            throw InfercoreException.invalid("input", where + ".role must be user, assistant, system or developer, got '"
                    + item.path("role").asText() + "'");
        }
        return new ChatMessage(role, text(where + ".content", item.get("content")));
    }

    private static void call(String where, JsonNode item, List<ChatMessage> out) {
        JsonNode arguments = item.get("arguments");
        if (!item.path("name").isTextual() || arguments == null || !(arguments.isTextual() || arguments.isObject())) {
            throw InfercoreException.invalid("input", where + ": a function_call needs name and arguments (a JSON string)");
        }
        ToolCall call = new ToolCall(item.path("call_id").asText(item.path("id").asText(null)), item.get("name").asText(),
                arguments.isTextual() ? arguments.asText() : arguments.toString());
        ChatMessage last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && "assistant".equals(last.role())) {
            List<ToolCall> calls = new ArrayList<>(last.toolCalls());
            calls.add(call);
            String content = last.content() == null || last.content().isEmpty() ? null : last.content();
            out.set(out.size() - 1, new ChatMessage("assistant", content, calls, null));
        } else {
            out.add(new ChatMessage("assistant", null, List.of(call), null));
        }
    }

    /** A string, or the text of a list of input_text / output_text parts; other parts (images, files) are refused. */
    private static String text(String where, JsonNode content) {
        if (content == null || content.isNull()) {
            throw InfercoreException.invalid("input", where + " is required");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw InfercoreException.invalid("input", where + " must be a string or a list of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            switch (type) {
                case "input_text", "output_text", "text" -> text.append(part.path("text").asText());
                case "refusal" -> text.append(part.path("refusal").asText());
                default -> throw InfercoreException.invalid("input", where + ": only text parts are supported, got '"
                        + type + "'");
            }
        }
        return text.toString();
    }
}
