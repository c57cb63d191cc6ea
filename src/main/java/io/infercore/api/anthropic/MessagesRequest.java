package io.infercore.api.anthropic;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.ToolCall;
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
 * Body of {@code POST /v1/messages} (and {@code /v1/messages/count_tokens}), Anthropic's Messages
 * API shape, read into the same engine request as every other route. Unknown fields are ignored
 * ({@code metadata}, {@code service_tier}, cache controls); content that would change the answer
 * and cannot be honoured (images, documents) is refused naming the block.
 *
 * <p>Anthropic puts tool results inside a {@code user} turn; the engine layer has OpenAI's
 * {@code tool} turns, so each {@code tool_result} block becomes a tool turn before the text of
 * the same user turn.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "AnthropicMessagesRequest", description = "Anthropic Messages API request")
public record MessagesRequest(
        @Schema(description = "Model id from GET /v1/models, or engine/model; default: default_model_name") String model,
        @Schema(description = "A string, or a list of {type: text, text} blocks") JsonNode system,
        @Schema(description = "Turns of role user or assistant; content is a string or a list of text, tool_use "
                + "and tool_result blocks", required = true) List<Message> messages,
        @Schema(description = "Maximum tokens to generate (required on /v1/messages)", required = true) Integer maxTokens,
        @Schema(description = "Strings that end the generation") List<String> stopSequences,
        @Schema(description = "0-1") Double temperature,
        @Schema(description = "Nucleus sampling, greater than 0 and at most 1") Double topP,
        @Schema(description = "Sample from the k most likely tokens (engines that support it)") Integer topK,
        @Schema(description = "true: text/event-stream of Anthropic's message events") Boolean stream,
        @Schema(description = "[{name, description, input_schema}]") JsonNode tools,
        @Schema(description = "{type: auto | any | tool | none, name}") JsonNode toolChoice,
        @Schema(description = "{type: enabled | disabled}: the model's thinking, where the engine supports it") JsonNode thinking,
        @Schema(description = "{format: {type: json_schema, schema}}: structured output (grammar-constrained where "
                + "the engine can); effort is accepted") JsonNode outputConfig,
        @Schema(description = "vLLM-style extra, as on /v1/chat/completions: keep generating past end-of-sequence")
        Boolean ignoreEos) {

    /** One turn. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "AnthropicMessage", description = "A turn")
    public record Message(
            @Schema(description = "user or assistant", required = true) String role,
            @Schema(description = "A string or a list of content blocks", required = true) JsonNode content) {
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** The engine request of {@code /v1/messages}: {@code max_tokens} is required, as Anthropic requires it. */
    GenerationRequest toDraft() {
        if (maxTokens == null) {
            throw InfercoreException.invalid("max_tokens", "max_tokens: Field required");
        }
        if (maxTokens < 1) {
            throw InfercoreException.invalid("max_tokens", "max_tokens must be a positive integer, got " + maxTokens);
        }
        return draft(maxTokens);
    }

    /** The engine request whose prompt {@code count_tokens} measures: one token generated, the prompt counted. */
    GenerationRequest toCountDraft() {
        return draft(1);
    }

    private GenerationRequest draft(int max) {
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 1)) {
            throw InfercoreException.invalid("temperature", "temperature must be between 0 and 1, got " + temperature);
        }
        if (messages == null) {
            throw InfercoreException.invalid("messages", "messages: Field required");
        }
        List<ChatMessage> turns = new ArrayList<>();
        String systemText = systemText();
        if (systemText != null && !systemText.isEmpty()) {
            turns.add(new ChatMessage("system", systemText));
        }
        for (int i = 0; i < messages.size(); i++) {
            turns(i, messages.get(i), turns);
        }
        ToolChoice choice = AnthropicTools.choice(toolChoice);
        List<ToolSpec> functions = AnthropicTools.tools(tools);
        boolean disabled = choice != null && "none".equals(choice.mode());
        Map<String, Object> args = new LinkedHashMap<>();
        if (topK != null) {
            args.put("top_k", topK);
        }
        if (Boolean.TRUE.equals(ignoreEos)) {
            args.put("ignore_eos", true);
        }
        SamplingParams sampling = new SamplingParams(max, temperature, topP, stopSequences, null);
        return new GenerationRequest(null, null, turns, sampling, schema(), args, thinkingSetting(),
                disabled ? null : functions, disabled ? null : choice);
    }

    /** {@code output_config.format}: Anthropic's structured outputs, a JSON Schema the text must conform to. */
    private ObjectNode schema() {
        JsonNode format = outputConfig == null ? null : outputConfig.get("format");
        if (format == null || format.isNull()) {
            return null;
        }
        if (!"json_schema".equals(format.path("type").asText()) || !format.path("schema").isObject()) {
            throw InfercoreException.invalid("output_config", "output_config.format must be {type: json_schema, schema}");
        }
        try {
            return JsonSchemas.normalize(format.get("schema"));
        } catch (InfercoreException e) {
            throw new InfercoreException(e.kind(), "output_config.format." + e.getMessage(), "output_config", null);
        }
    }

    private Boolean thinkingSetting() {
        if (thinking == null || thinking.isNull()) {
            return null;
        }
        String type = thinking.path("type").asText();
        if (!type.equals("enabled") && !type.equals("disabled") && !type.equals("adaptive")) {
            throw InfercoreException.invalid("thinking", "thinking.type must be enabled, adaptive or disabled");
        }
        return !type.equals("disabled");
    }

    private String systemText() {
        if (system == null || system.isNull()) {
            return null;
        }
        if (system.isTextual()) {
            return system.asText();
        }
        if (!system.isArray()) {
            throw InfercoreException.invalid("system", "system must be a string or a list of {type: text, text} blocks");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : system) {
            if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                throw InfercoreException.invalid("system", "system: only {type: text, text} blocks are supported");
            }
            text.append(text.length() == 0 ? "" : "\n").append(block.get("text").asText());
        }
        return text.toString();
    }

    /** One Anthropic turn as engine turns: tool results first, then the text (with the calls on an assistant turn). */
    private static void turns(int i, Message m, List<ChatMessage> out) {
        String where = "messages[" + i + "]";
        if (m == null || m.role() == null) {
            throw InfercoreException.invalid("messages", where + ".role: Field required");
        }
        if (!m.role().equals("user") && !m.role().equals("assistant")) {
            throw InfercoreException.invalid("messages", where + ".role must be user or assistant, got '" + m.role()
                    + "' (the system prompt goes in the top-level system field)");
        }
        JsonNode content = m.content();
        if (content == null || content.isNull()) {
            throw InfercoreException.invalid("messages", where + ".content: Field required");
        }
        if (content.isTextual()) {
            out.add(new ChatMessage(m.role(), content.asText()));
            return;
        }
        if (!content.isArray()) {
            throw InfercoreException.invalid("messages", where + ".content must be a string or a list of blocks");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (int b = 0; b < content.size(); b++) {
            JsonNode block = content.get(b);
            String type = block.path("type").asText();
            String at = where + ".content[" + b + "]";
            switch (type) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking", "redacted_thinking" -> {
                    // earlier thinking is not sent back to the model, as Anthropic's own models drop it
                }
                case "tool_use" -> {
                    if (!m.role().equals("assistant")) {
                        throw InfercoreException.invalid("messages", at + ": tool_use blocks belong to assistant turns");
                    }
                    JsonNode input = block.path("input");
                    calls.add(new ToolCall(block.path("id").asText(null), block.path("name").asText(null),
                            input.isMissingNode() || input.isNull() ? "{}" : input.toString()));
                }
                case "tool_result" -> {
                    if (!m.role().equals("user")) {
                        throw InfercoreException.invalid("messages", at + ": tool_result blocks belong to user turns");
                    }
                    String id = block.path("tool_use_id").asText("");
                    if (id.isEmpty()) {
                        throw InfercoreException.invalid("messages", at + ".tool_use_id: Field required");
                    }
                    String result = resultText(at, block.get("content"));
                    out.add(new ChatMessage("tool", block.path("is_error").asBoolean(false) ? "Error: " + result : result,
                            null, id));
                }
                default -> throw InfercoreException.invalid("messages", at + ": block type '" + type
                        + "' is not supported (text, tool_use and tool_result are)");
            }
        }
        if (!calls.isEmpty()) {
            out.add(new ChatMessage("assistant", text.length() == 0 ? null : text.toString(), calls, null));
        } else if (text.length() > 0 || !hasToolResult(content)) {
            out.add(new ChatMessage(m.role(), text.toString()));
        }
    }

    private static boolean hasToolResult(JsonNode content) {
        for (JsonNode block : content) {
            if ("tool_result".equals(block.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String resultText(String at, JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText())) {
                throw InfercoreException.invalid("messages", at + ".content: only text blocks are supported in a "
                        + "tool_result");
            }
            text.append(part.path("text").asText());
        }
        return text.toString();
    }

    /** Anthropic's {@code input_schema} is the function's parameters schema. */
    static ObjectNode objectOrNull(JsonNode node) {
        return node instanceof ObjectNode object ? object : null;
    }
}
