package io.infercore.engine;

import java.util.List;

/**
 * A complete (non-streamed) generation. {@code reasoning} is kept apart from {@code text};
 * {@code toolCalls} holds the calls the model asked for (finish reason {@code tool_calls}).
 */
public record GenerationResult(String text, String reasoning, String finishReason, Usage usage,
                               List<ToolCall> toolCalls) {

    public GenerationResult {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public GenerationResult(String text, String reasoning, String finishReason, Usage usage) {
        this(text, reasoning, finishReason, usage, null);
    }
}
