package io.infercore.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Function calling between infercore's records and the engines: tool definitions and
 * {@code tool_choice} in the OpenAI wire shape (which Ollama's {@code /api/chat} shares), and
 * LangChain4j's messages for calls and their results. One place, so every adapter that declares
 * {@link Capability#TOOLS} speaks the same dialect.
 */
public final class ToolCalls {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ToolCalls() {
    }

    /** {@code [{type: function, function: {name, description?, parameters}}]}, as declared. */
    public static ArrayNode toolsJson(List<ToolSpec> tools) {
        ArrayNode array = JSON.arrayNode();
        for (ToolSpec tool : tools) {
            ObjectNode function = JSON.objectNode().put("name", tool.name());
            if (tool.description() != null) {
                function.put("description", tool.description());
            }
            function.set("parameters", tool.parameters() != null ? tool.parameters()
                    : JSON.objectNode().put("type", "object").set("properties", JSON.objectNode()));
            array.addObject().put("type", "function").set("function", function);
        }
        return array;
    }

    /** {@code "auto"}, {@code "required"} or {@code {type: function, function: {name}}}. */
    public static Object toolChoiceJson(ToolChoice choice) {
        if (choice.function() != null) {
            ObjectNode named = JSON.objectNode().put("type", "function");
            named.putObject("function").put("name", choice.function());
            return named;
        }
        return choice.mode();
    }

    /**
     * The conversation's assistant tool calls and tool results as LangChain4j messages; other
     * turns are left to {@code plain}. A tool result is named after the call it answers, found by
     * id among the earlier assistant turns (Ollama wants the function name, OpenAI the id).
     */
    public static List<dev.langchain4j.data.message.ChatMessage> toLangChain4j(
            List<ChatMessage> turns, java.util.function.Function<ChatMessage, dev.langchain4j.data.message.ChatMessage> plain) {
        Map<String, String> names = new HashMap<>();
        List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>(turns.size());
        for (ChatMessage m : turns) {
            if ("assistant".equals(m.role()) && m.hasToolCalls()) {
                List<ToolExecutionRequest> requests = new ArrayList<>();
                for (ToolCall call : m.toolCalls()) {
                    names.put(call.id(), call.name());
                    requests.add(ToolExecutionRequest.builder().id(call.id()).name(call.name())
                            .arguments(call.arguments()).build());
                }
                out.add(m.content() == null || m.content().isEmpty() ? AiMessage.from(requests)
                        : AiMessage.from(m.content(), requests));
            } else if ("tool".equals(m.role())) {
                String name = m.toolCallId() == null ? null : names.get(m.toolCallId());
                out.add(ToolExecutionResultMessage.from(m.toolCallId(), name, m.content()));
            } else {
                out.add(plain.apply(m));
            }
        }
        return out;
    }

    /** The calls in an engine's answer; engines that give no call id (Ollama) get {@code call_<random>}. */
    public static List<ToolCall> fromLangChain4j(AiMessage message) {
        if (message == null || !message.hasToolExecutionRequests()) {
            return List.of();
        }
        List<ToolCall> calls = new ArrayList<>();
        for (ToolExecutionRequest r : message.toolExecutionRequests()) {
            String id = r.id() == null || r.id().isBlank() ? "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24)
                    : r.id();
            calls.add(new ToolCall(id, r.name(), r.arguments() == null ? "{}" : r.arguments()));
        }
        return calls;
    }
}
