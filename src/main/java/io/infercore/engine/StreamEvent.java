package io.infercore.engine;

/** What an engine stream emits: deltas, then exactly one {@link Done}. */
public sealed interface StreamEvent {

    /** New text (and/or reasoning text) since the previous event. */
    record Delta(String text, String reasoning) implements StreamEvent {
        public static Delta text(String text) {
            return new Delta(text, null);
        }
    }

    /** The end of a stream: why it stopped and what it cost. */
    record Done(String finishReason, Usage usage) implements StreamEvent {
    }
}
