package io.infercore.engine;

import java.util.List;

/** What an engine stream emits: deltas, then exactly one {@link Done}. */
public sealed interface StreamEvent {

    /**
     * New text (and/or reasoning text) since the previous event, or complete tool calls. Engines
     * stream tool-call arguments in fragments of their own choosing; adapters hand over whole
     * calls, once each, so every client can render them in its own protocol. {@code logprobs}
     * holds the log-probabilities of the tokens of {@code text} when the request asked for them.
     */
    record Delta(String text, String reasoning, List<ToolCall> toolCalls, List<TokenLogprob> logprobs)
            implements StreamEvent {
        public Delta {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
        }

        public Delta(String text, String reasoning, List<ToolCall> toolCalls) {
            this(text, reasoning, toolCalls, null);
        }

        public Delta(String text, String reasoning) {
            this(text, reasoning, null);
        }

        public static Delta text(String text) {
            return new Delta(text, null);
        }

        public static Delta calls(List<ToolCall> calls) {
            return new Delta(null, null, calls);
        }
    }

    /** The end of a stream: why it stopped and what it cost. */
    record Done(String finishReason, Usage usage) implements StreamEvent {
    }
}
