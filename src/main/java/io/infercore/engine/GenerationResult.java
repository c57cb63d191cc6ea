package io.infercore.engine;

/** A complete (non-streamed) generation. {@code reasoning} is kept apart from {@code text}. */
public record GenerationResult(String text, String reasoning, String finishReason, Usage usage) {
}
