package io.infercore.api;

import io.infercore.engine.ToolCall;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A call the model asked for, in OpenAI's shape (both APIs write it this way). */
@Schema(name = "ToolCall", description = "A function call the model asked for; infercore never runs it")
public record ToolCallData(
        @Schema(description = "Pairs the call with the tool message that answers it (tool_call_id)") String id,
        @Schema(description = "function") String type,
        Function function) {

    /** The function and its arguments; {@code arguments} is the model's JSON text: parse and check it first. */
    @Schema(name = "ToolCallFunction", description = "The function and its arguments")
    public record Function(
            @Schema(description = "Function name, one of the request's tools") String name,
            @Schema(description = "Arguments as a JSON string") String arguments) {
    }

    static ToolCallData of(ToolCall call) {
        return new ToolCallData(call.id(), "function", new Function(call.name(), call.arguments()));
    }
}
