package io.infercore.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.ToolChoice;
import io.infercore.engine.ToolSpec;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * The Responses API's function tools ({@code {type: function, name, description, parameters}},
 * flat, unlike chat completions' nested {@code function}) and {@code tool_choice}. Hosted tools
 * (web search, file search, code interpreter...) run at OpenAI and are refused.
 */
final class ResponseTools {

    private ResponseTools() {
    }

    static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw InfercoreException.invalid("tools", "tools must be a list of {type: function, name, parameters}");
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText();
            if (!"function".equals(type)) {
                throw InfercoreException.invalid("tools", "tools[" + i + "]: only function tools are supported by "
                        + "infercore, got type '" + type + "'");
            }
            JsonNode parameters = tool.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw InfercoreException.invalid("tools", "tools[" + i + "].parameters must be a JSON Schema object");
            }
            specs.add(new ToolSpec(tool.path("name").asText(null), tool.path("description").asText(null),
                    parameters instanceof ObjectNode object ? object : null));
        }
        return specs;
    }

    static ToolChoice choice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            String mode = choice.asText();
            if (!mode.equals("none") && !mode.equals("auto") && !mode.equals("required")) {
                throw InfercoreException.invalid("tool_choice", "tool_choice must be none, auto, required or "
                        + "{type: function, name}, got '" + mode + "'");
            }
            return new ToolChoice(mode, null);
        }
        if (!"function".equals(choice.path("type").asText()) || choice.path("name").asText("").isBlank()) {
            throw InfercoreException.invalid("tool_choice", "tool_choice must be none, auto, required or "
                    + "{type: function, name}");
        }
        return ToolChoice.function(choice.get("name").asText());
    }
}
