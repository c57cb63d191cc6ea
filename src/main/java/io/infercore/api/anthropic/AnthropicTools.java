package io.infercore.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.ToolChoice;
import io.infercore.engine.ToolSpec;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's client tools ({@code [{name, description, input_schema}]}) and {@code tool_choice}
 * ({@code auto}, {@code any}, {@code tool} + name, {@code none}) in the engine layer's terms. Server
 * tools (web search, code execution...) run at Anthropic and are refused.
 */
final class AnthropicTools {

    private AnthropicTools() {
    }

    static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw InfercoreException.invalid("tools", "tools must be a list of {name, description, input_schema}");
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("custom");
            if (!tool.isObject() || !type.equals("custom")) {
                throw InfercoreException.invalid("tools", "tools[" + i + "]: only client tools {name, description, "
                        + "input_schema} are supported, got type '" + type + "'");
            }
            JsonNode schema = tool.get("input_schema");
            if (schema == null || !schema.isObject()) {
                throw InfercoreException.invalid("tools", "tools[" + i + "].input_schema: Field required (a JSON Schema "
                        + "object)");
            }
            specs.add(new ToolSpec(tool.path("name").asText(null), tool.path("description").asText(null),
                    MessagesRequest.objectOrNull(schema)));
        }
        return specs;
    }

    static ToolChoice choice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        String type = choice.path("type").asText();
        return switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> new ToolChoice("required", null);
            case "none" -> new ToolChoice("none", null);
            case "tool" -> {
                String name = choice.path("name").asText("");
                if (name.isBlank()) {
                    throw InfercoreException.invalid("tool_choice", "tool_choice.name: Field required for type tool");
                }
                yield ToolChoice.function(name);
            }
            default -> throw InfercoreException.invalid("tool_choice", "tool_choice.type must be auto, any, tool or "
                    + "none, got '" + type + "'");
        };
    }
}
