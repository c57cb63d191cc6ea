package io.infercore.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.ToolCall;
import io.infercore.engine.ToolChoice;
import io.infercore.engine.ToolSpec;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * Function-calling fields, in OpenAI's shape on both APIs ({@code /v1} and {@code /api/v1}),
 * read into the engine layer's records. Shapes are checked
 * here (400 naming the field); the rules every entry point shares (names, uniqueness, a forced
 * function being declared) are the inference layer's.
 */
public final class ToolFields {

    /**
     * Where a function tool's fields sit: chat completions (and Ollama) nest them under
     * {@code function}; OpenAI's Responses API puts them on the tool itself and requires its
     * {@code type}.
     */
    public enum Shape {
        NESTED("{type: function, function: {name, description, parameters}}", "{type: function, function: {name}}",
                "function.", false),
        FLAT("{type: function, name, description, parameters}", "{type: function, name}", "", true);

        private final String tool;
        private final String choice;
        private final String prefix;
        private final boolean typeRequired;

        Shape(String tool, String choice, String prefix, boolean typeRequired) {
            this.tool = tool;
            this.choice = choice;
            this.prefix = prefix;
            this.typeRequired = typeRequired;
        }

        private JsonNode fields(JsonNode node) {
            return prefix.isEmpty() ? node : node.path("function");
        }

        private boolean typed(JsonNode node) {
            return "function".equals(node.path("type").asText(typeRequired ? "" : "function"));
        }
    }

    private ToolFields() {
    }

    /** {@code tools} in chat completions' shape: absent, null or a list of functions. */
    public static List<ToolSpec> tools(JsonNode tools) {
        return tools(tools, Shape.NESTED);
    }

    /** {@code tools}: absent, null or a list of functions in the given shape. */
    public static List<ToolSpec> tools(JsonNode tools, Shape shape) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw InfercoreException.invalid("tools", "tools must be a list of " + shape.tool);
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            JsonNode function = shape.fields(tool);
            if (!tool.isObject() || !shape.typed(tool) || !function.isObject()) {
                String type = tool.path("type").isTextual() ? ", got type '" + tool.get("type").asText() + "'" : "";
                throw InfercoreException.invalid("tools", "tools[" + i + "] must be " + shape.tool
                        + " (only function tools are supported by infercore" + type + ")");
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw InfercoreException.invalid("tools", "tools[" + i + "]." + shape.prefix + "parameters must be a "
                        + "JSON Schema object");
            }
            JsonNode description = function.get("description");
            specs.add(new ToolSpec(function.path("name").isTextual() ? function.get("name").asText() : null,
                    description != null && description.isTextual() ? description.asText() : null,
                    parameters instanceof ObjectNode object ? object : null));
        }
        return specs;
    }

    /** {@code tool_choice} in chat completions' shape. */
    public static ToolChoice choice(JsonNode choice) {
        return choice(choice, Shape.NESTED);
    }

    /** {@code tool_choice}: none, auto, required, or one named function; null when absent. */
    public static ToolChoice choice(JsonNode choice, Shape shape) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        String expected = "tool_choice must be none, auto, required or " + shape.choice;
        if (choice.isTextual()) {
            String mode = choice.asText();
            if (!mode.equals("none") && !mode.equals("auto") && !mode.equals("required")) {
                throw InfercoreException.invalid("tool_choice", expected + ", got '" + mode + "'");
            }
            return new ToolChoice(mode, null);
        }
        JsonNode name = shape.fields(choice).path("name");
        if (!choice.isObject() || !shape.typed(choice) || !name.isTextual() || name.asText().isBlank()) {
            throw InfercoreException.invalid("tool_choice", expected);
        }
        return ToolChoice.function(name.asText());
    }

    /** The calls in a reply, as both APIs write them. */
    public static List<ToolCallData> data(List<ToolCall> calls) {
        return calls.isEmpty() ? null : calls.stream().map(ToolCallData::of).toList();
    }

    /** An assistant turn's {@code tool_calls}; arguments sent as an object are taken as its JSON text. */
    public static List<ToolCall> calls(int turn, JsonNode calls) {
        if (calls == null || calls.isNull()) {
            return List.of();
        }
        String where = "messages[" + turn + "].tool_calls";
        if (!calls.isArray()) {
            throw InfercoreException.invalid("messages", where + " must be a list of {id, type: function, "
                    + "function: {name, arguments}}");
        }
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            JsonNode function = call.path("function");
            JsonNode arguments = function.path("arguments");
            if (!call.isObject() || !function.path("name").isTextual() || !(arguments.isTextual() || arguments.isObject())) {
                throw InfercoreException.invalid("messages", where + "[" + i + "] needs function.name and "
                        + "function.arguments (a JSON string)");
            }
            out.add(new ToolCall(call.path("id").isTextual() ? call.get("id").asText() : null,
                    function.get("name").asText(), arguments.isTextual() ? arguments.asText() : arguments.toString()));
        }
        return out;
    }
}
