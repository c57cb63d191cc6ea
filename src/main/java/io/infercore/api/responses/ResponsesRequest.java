package io.infercore.api.responses;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.api.ToolFields;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.ToolChoice;
import io.infercore.engine.ToolSpec;
import io.infercore.error.InfercoreException;
import io.infercore.inference.JsonSchemas;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/responses}, OpenAI's Responses API shape. Unknown fields are ignored
 * as on the other {@code /v1} routes ({@code include}, {@code user}, {@code truncation}...);
 * fields that would change the answer and cannot be honoured ({@code background}, hosted tools,
 * images) are refused naming the field.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "OpenAiResponsesRequest", description = "OpenAI Responses API request")
public record ResponsesRequest(
        @Schema(description = "Model id from GET /v1/models, or engine/model; default: default_model_name") String model,
        @Schema(description = "A string (one user message) or a list of items: messages {role, content}, "
                + "function_call and function_call_output", required = true) JsonNode input,
        @Schema(description = "A system message put before the conversation; not carried over by "
                + "previous_response_id") String instructions,
        @Schema(description = "Maximum tokens to generate") Integer maxOutputTokens,
        @Schema(description = "0-2; 0 is greedy") Double temperature,
        @Schema(description = "Nucleus sampling, greater than 0 and at most 1") Double topP,
        @Schema(description = "[{type: function, name, description, parameters}]") JsonNode tools,
        @Schema(description = "none, auto, required or {type: function, name}") JsonNode toolChoice,
        @Schema(description = "{format: {type: text | json_object | json_schema, name, schema, strict}}") JsonNode text,
        @Schema(description = "true: text/event-stream of response.* events") Boolean stream,
        @Schema(description = "Keep the response (default true): GET /v1/responses/{id}, previous_response_id") Boolean store,
        @Schema(description = "Continue from a stored response: its input and output come before this input") String previousResponseId,
        @Schema(description = "{effort}: none disables the model's thinking, any other value enables it") JsonNode reasoning,
        @Schema(description = "Up to 16 string pairs, echoed and stored") JsonNode metadata,
        @Schema(description = "Not supported; true is refused") Boolean background,
        @Schema(description = "vLLM/SGLang extra, as on /v1/chat/completions: sample from the k most likely tokens") Integer topK,
        @Schema(description = "vLLM/SGLang extra: keep generating past end-of-sequence") Boolean ignoreEos) {

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    boolean storing() {
        return !Boolean.FALSE.equals(store);
    }

    /** This request's own input as a list of items (a string is one user message). */
    ArrayNode inputItems() {
        if (input == null || input.isNull()) {
            throw InfercoreException.invalid("input", "input is required: a string or a list of items");
        }
        if (input.isTextual()) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            items.addObject().put("type", "message").put("role", "user").put("content", input.asText());
            return items;
        }
        if (!input.isArray()) {
            throw InfercoreException.invalid("input", "input must be a string or a list of items");
        }
        return (ArrayNode) input;
    }

    /** The checks that need no engine, made before a previous response is read. */
    void check() {
        if (Boolean.TRUE.equals(background)) {
            throw InfercoreException.invalid("background", "background responses are not supported by infercore; "
                    + "leave background unset");
        }
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            throw InfercoreException.invalid("max_output_tokens", "max_output_tokens must be a positive integer, got "
                    + maxOutputTokens);
        }
        inputItems();
    }

    /** The engine request over {@code conversation} (earlier items, then this input). */
    GenerationRequest toDraft(ArrayNode conversation) {
        List<ChatMessage> turns = new ArrayList<>();
        if (instructions != null && !instructions.isBlank()) {
            turns.add(new ChatMessage("system", instructions));
        }
        turns.addAll(ResponseItems.toMessages(conversation));
        ToolChoice choice = ToolFields.choice(toolChoice, ToolFields.Shape.FLAT);
        List<ToolSpec> functions = ToolFields.tools(tools, ToolFields.Shape.FLAT);
        boolean disabled = choice != null && "none".equals(choice.mode());
        SamplingParams sampling = new SamplingParams(maxOutputTokens, temperature, topP, null, null);
        Map<String, Object> extras = new LinkedHashMap<>();
        if (topK != null) {
            extras.put("top_k", topK);
        }
        if (Boolean.TRUE.equals(ignoreEos)) {
            extras.put("ignore_eos", true);
        }
        return new GenerationRequest(null, null, turns, sampling, schema(), extras, thinking(),
                disabled ? null : functions, disabled ? null : choice);
    }

    /** {@code text.format}, echoed in the response ({@code {type: text}} when absent). */
    JsonNode format() {
        JsonNode format = text == null ? null : text.get("format");
        return format == null || format.isNull() ? JsonNodeFactory.instance.objectNode().put("type", "text") : format;
    }

    private ObjectNode schema() {
        JsonNode format = format();
        String type = format.path("type").asText();
        return switch (type) {
            case "text" -> null;
            case "json_object" -> JsonNodeFactory.instance.objectNode().put("type", "object");
            case "json_schema" -> {
                JsonNode schema = format.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw InfercoreException.invalid("text.format.schema", "text.format.schema must be a JSON Schema object");
                }
                try {
                    yield JsonSchemas.normalize(schema);
                } catch (InfercoreException e) {
                    throw new InfercoreException(e.kind(), "text.format." + e.getMessage(), "text.format.schema", null);
                }
            }
            default -> throw InfercoreException.invalid("text.format.type", "text.format.type must be text, json_object "
                    + "or json_schema, got '" + type + "'");
        };
    }

    private Boolean thinking() {
        JsonNode effort = reasoning == null ? null : reasoning.get("effort");
        if (effort == null || effort.isNull()) {
            return null;
        }
        return !"none".equals(effort.asText());
    }
}
