package io.infercore.engine;

import java.util.List;

/**
 * A complete (non-streamed) generation. {@code reasoning} is kept apart from {@code text};
 * {@code toolCalls} holds the calls the model asked for (finish reason {@code tool_calls});
 * {@code logprobs} one entry per generated token when the request asked for them, else null.
 */
public record GenerationResult(String text, String reasoning, String finishReason, Usage usage,
                               List<ToolCall> toolCalls, List<TokenLogprob> logprobs) {

    public GenerationResult {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        logprobs = logprobs == null ? null : List.copyOf(logprobs);
    }

    public GenerationResult(String text, String reasoning, String finishReason, Usage usage,
                            List<ToolCall> toolCalls) {
        this(text, reasoning, finishReason, usage, toolCalls, null);
    }

    public GenerationResult(String text, String reasoning, String finishReason, Usage usage) {
        this(text, reasoning, finishReason, usage, null);
    }
}
