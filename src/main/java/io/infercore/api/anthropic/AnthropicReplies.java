package io.infercore.api.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.ToolCall;
import io.infercore.engine.Usage;
import io.infercore.inference.Completion;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/** Anthropic's response objects: a {@code message}, its content blocks and usage, and a token count. */
public final class AnthropicReplies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnthropicReplies() {
    }

    @Schema(name = "AnthropicMessageReply", description = "Anthropic message")
    public record MessageReply(
            @Schema(description = "msg_ followed by the request id") String id,
            @Schema(description = "message") String type,
            @Schema(description = "assistant") String role,
            @Schema(description = "Model that answered, as the engine names it") String model,
            @Schema(description = "thinking (when the model reasoned), text, then tool_use blocks") List<Block> content,
            @Schema(description = "end_turn, max_tokens or tool_use") String stopReason,
            @Schema(description = "Always null: engines do not report which stop sequence matched") String stopSequence,
            AnthropicUsage usage) {

        static MessageReply of(String id, Completion c) {
            GenerationResult r = c.result();
            List<Block> blocks = new ArrayList<>();
            if (r.reasoning() != null && !r.reasoning().isEmpty()) {
                blocks.add(Block.thinking(r.reasoning()));
            }
            boolean hasText = r.text() != null && !r.text().isEmpty();
            if (hasText || r.toolCalls().isEmpty()) {
                blocks.add(Block.text(r.text() == null ? "" : r.text()));
            }
            r.toolCalls().forEach(call -> blocks.add(Block.toolUse(call)));
            return new MessageReply(id, "message", "assistant", c.modelName(), blocks,
                    stopReasonOf(r.finishReason(), !r.toolCalls().isEmpty()), null, AnthropicUsage.of(r.usage()));
        }
    }

    /** A content block; members of the other block types are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "AnthropicContentBlock", description = "text, thinking or tool_use")
    public record Block(String type, String text, String thinking, String signature, String id, String name,
                        JsonNode input) {
        static Block text(String text) {
            return new Block("text", text, null, null, null, null, null);
        }

        static Block thinking(String thinking) {
            return new Block("thinking", null, thinking, "", null, null, null);
        }

        static Block toolUse(ToolCall call) {
            return new Block("tool_use", null, null, null, toolUseId(call), call.name(), inputOf(call.arguments()));
        }
    }

    @Schema(name = "AnthropicUsage", description = "Token usage")
    public record AnthropicUsage(int inputTokens, int outputTokens) {
        static AnthropicUsage of(Usage usage) {
            Usage u = usage == null ? Usage.EMPTY : usage;
            return new AnthropicUsage(u.promptTokens(), u.completionTokens());
        }
    }

    @Schema(name = "AnthropicTokenCount", description = "Tokens of the prompt, after the chat template")
    public record TokenCount(int inputTokens) {
    }

    /** Anthropic's stop reasons; a stop sequence cannot be told from the end of the turn, both are end_turn. */
    static String stopReasonOf(String finishReason, boolean calledTools) {
        if (calledTools || "tool_calls".equals(finishReason)) {
            return "tool_use";
        }
        return "length".equals(finishReason) ? "max_tokens" : "end_turn";
    }

    /** Anthropic ids start {@code toolu_}; engines' ids are kept, prefixed when they lack it. */
    static String toolUseId(ToolCall call) {
        String id = call.id() == null || call.id().isBlank() ? Long.toHexString(System.nanoTime()) : call.id();
        return id.startsWith("toolu_") ? id : "toolu_" + id;
    }

    /** The call's arguments as the object Anthropic's {@code input} is; text that is not an object is kept under {@code _raw}. */
    static JsonNode inputOf(String arguments) {
        try {
            JsonNode parsed = arguments == null || arguments.isBlank() ? null : JSON.readTree(arguments);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (Exception e) {
            // not JSON: kept as text below
        }
        return JsonNodeFactory.instance.objectNode().put("_raw", arguments == null ? "" : arguments);
    }
}
