package io.infercore.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.inference.Completion;
import io.infercore.inference.StructuredResult;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The {@code data} of the generation endpoints. */
@RegisterForReflection // with its nested records: written by Replies, not through a resource signature
public final class ReplyData {

    /** For the reply message's tool_calls (a JSON tree, as requests carry them; names have no case to convert). */
    private static final ObjectMapper TREES = new ObjectMapper();

    private ReplyData() {
    }

    @Schema(description = "Result of generate")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Generated(
            @Schema(description = "Generated text (never includes reasoning)") String text,
            @Schema(description = "Reasoning text, when the model produced any") String reasoning,
            @Schema(description = "Model that answered") String modelName,
            @Schema(description = "Engine that answered") String engineType,
            @Schema(description = "stop or length") String finishReason,
            UsageData usage) {

        static Generated of(Completion c) {
            return new Generated(c.result().text(), c.result().reasoning(), c.modelName(), c.engineType(),
                    c.result().finishReason(), UsageData.of(c.result().usage()));
        }
    }

    @Schema(description = "Result of chat")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chatted(
            @Schema(description = "Reply text (never includes reasoning)") String text,
            @Schema(description = "The reply as a message") ChatBody.Message message,
            @Schema(description = "Reasoning text, when the model produced any") String reasoning,
            @Schema(description = "Model that answered") String modelName,
            @Schema(description = "Engine that answered") String engineType,
            @Schema(description = "stop, length or tool_calls") String finishReason,
            UsageData usage,
            @Schema(description = "The calls the model asked for (finish_reason tool_calls); absent when none")
            List<ToolCallData> toolCalls) {

        static Chatted of(Completion c) {
            List<ToolCallData> calls = ToolFields.data(c.result().toolCalls());
            ChatBody.Message message = new ChatBody.Message("assistant", c.result().text(),
                    calls == null ? null : TREES.valueToTree(calls), null);
            return new Chatted(c.result().text(), message, c.result().reasoning(), c.modelName(), c.engineType(),
                    c.result().finishReason(), UsageData.of(c.result().usage()), calls);
        }
    }

    @Schema(description = "Result of structured-generate")
    public record Structured(
            @Schema(description = "The parsed output; null when it is not JSON") JsonNode json,
            @Schema(description = "The raw output") String text,
            @Schema(description = "Whether json conforms to the schema") boolean valid,
            @Schema(description = "The validator's errors; empty when valid") List<String> errors,
            @Schema(description = "Generations made (a non-conforming first answer is retried once)") int attempts,
            @Schema(description = "Model that answered") String modelName,
            @Schema(description = "Engine that answered") String engineType,
            UsageData usage,
            @Schema(description = "stop, or length when the last answer was cut at max_tokens") String finishReason,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Schema keywords (JSON pointers into the schema) the engine's constrained decoding "
                    + "does not enforce: only the validator checked them, after generation. Empty when the grammar "
                    + "enforces the whole schema; absent when the engine does not say")
            List<String> unenforcedKeywords) {

        static Structured of(StructuredResult r) {
            return new Structured(r.json(), r.text(), r.valid(), r.errors(), r.attempts(), r.modelName(),
                    r.engineType(), UsageData.of(r.usage()), r.finishReason(), r.unenforcedKeywords());
        }
    }
}
