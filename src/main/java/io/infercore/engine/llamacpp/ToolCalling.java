package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ToolCall;
import io.infercore.engine.ToolChoice;
import io.infercore.engine.ToolSpec;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Function calling on the embedded engine. The model writes its calls as one JSON array,
 * {@code [{"name": ..., "arguments": {...}}]}, under a grammar built from the tools' parameter
 * schemas (by {@link JsonSchemaGrammar}): with {@code required} or a named function the reply
 * can only be well-formed calls with arguments that fit the grammar; with {@code auto} it is
 * either such an array or text that does not start with {@code [}. The tools are described to
 * the model in the system turn, and earlier calls and their results are written as text turns,
 * since GGUF chat templates differ in whether and how they take tools.
 */
final class ToolCalling {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolCalling() {
    }

    /** The GBNF grammar for the reply of a request with tools. */
    static String grammar(GenerationRequest request) {
        ToolChoice choice = request.toolChoice();
        ArrayNode branches = JSON.createArrayNode();
        for (ToolSpec tool : request.tools()) {
            if (choice.function() != null && !choice.function().equals(tool.name())) {
                continue;
            }
            ObjectNode call = branches.addObject().put("type", "object").put("additionalProperties", false);
            ObjectNode props = call.putObject("properties");
            props.putObject("name").put("const", tool.name());
            props.set("arguments", tool.parameters() == null ? JSON.createObjectNode().put("type", "object")
                    .put("maxProperties", 0) : tool.parameters());
            call.putArray("required").add("name").add("arguments");
        }
        if (branches.isEmpty()) {
            throw InfercoreException.invalid("tool_choice", "tool_choice names function '" + choice.function()
                    + "', which is not among the tools");
        }
        // Several calls at once, but no more than there are tools: a small model would otherwise
        // go on adding calls until max_tokens.
        ObjectNode calls = JSON.createObjectNode().put("type", "array").put("minItems", 1)
                .put("maxItems", choice.function() != null || !choice.parallel() ? 1 : request.tools().size());
        calls.putObject("items").set("anyOf", branches);
        String gbnf = JsonSchemaGrammar.cached(calls).gbnf();
        if (!choice.isAuto()) {
            return gbnf;
        }
        String auto = gbnf.replaceFirst("^root ::= ", "calls ::= ") + "root ::= calls | [^\\[ \\t\\n] .*\n";
        GbnfCheck.problem(auto).ifPresent(problem -> {
            throw new InfercoreException(ErrorKind.INTERNAL, "The tool-call grammar infercore built is malformed ("
                    + problem + "); nothing was generated. This is a defect of infercore", "tools", null);
        });
        return auto;
    }

    /**
     * The system turn's addition that tells the model its tools and how to call them: names,
     * argument names and descriptions only (the grammar holds the full schemas; small context
     * windows cannot).
     */
    static String describe(List<ToolSpec> tools) {
        StringBuilder out = new StringBuilder("Functions you can call, by answering only with a JSON array "
                + "[{\"name\": ..., \"arguments\": {...}}]:\n");
        for (ToolSpec tool : tools) {
            List<String> args = new ArrayList<>();
            if (tool.parameters() != null) {
                tool.parameters().path("properties").fieldNames().forEachRemaining(args::add);
            }
            out.append("- ").append(tool.name()).append('(').append(String.join(", ", args)).append(')');
            if (tool.description() != null) {
                out.append(": ").append(tool.description());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** An assistant turn with calls, or a tool result, as the plain text turn the template gets. */
    static ChatMessage asText(ChatMessage m) {
        if ("tool".equals(m.role())) {
            return new ChatMessage("user", "Result of call " + (m.toolCallId() == null ? "" : m.toolCallId() + " ")
                    + ": " + (m.content() == null ? "" : m.content()));
        }
        if (m.hasToolCalls()) {
            ArrayNode calls = JSON.createArrayNode();
            for (ToolCall c : m.toolCalls()) {
                ObjectNode call = calls.addObject().put("name", c.name());
                try {
                    call.set("arguments", JSON.readTree(c.arguments()));
                } catch (java.io.IOException e) {
                    call.put("arguments", c.arguments());
                }
            }
            return new ChatMessage("assistant", calls.toString());
        }
        return m;
    }

    /** The calls in a reply written under {@link #grammar}; empty when the reply is text or was cut short. */
    static List<ToolCall> parse(String text) {
        String t = text.strip();
        if (!t.startsWith("[")) {
            return List.of();
        }
        JsonNode calls;
        try {
            calls = JSON.readTree(t);
        } catch (java.io.IOException e) {
            return List.of(); // cut at max_tokens: the text is returned as it is, with finish_reason length
        }
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode call : calls) {
            out.add(new ToolCall("call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
                    call.path("name").asText(), call.path("arguments").toString()));
        }
        return out;
    }
}
