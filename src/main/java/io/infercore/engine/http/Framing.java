package io.infercore.engine.http;

/**
 * How an engine's streamed answer is cut into payloads, and which rules of its protocol the
 * transport checks while cutting (see {@link StreamReader}).
 */
public enum Framing {

    /**
     * Server-sent events (OpenAI-compatible servers, SGLang's {@code /generate}): each event's
     * {@code data:} lines, up to {@code data: [DONE]}; an {@code {"error": ...}} payload fails the
     * stream, and so does a body that ends without {@code [DONE]}.
     */
    SSE("text/event-stream"),

    /**
     * Ollama's generation NDJSON ({@code /api/chat}, {@code /api/generate}): one JSON object per
     * line, up to the {@code "done":true} line; an {@code {"error": ...}} line or a line that is
     * not an object fails the stream, and so does a body that ends before the done line.
     */
    NDJSON_GENERATION("application/x-ndjson"),

    /** NDJSON read as it comes, every line to the caller (Ollama's pull progress). */
    NDJSON("application/x-ndjson");

    final String accept;

    Framing(String accept) {
        this.accept = accept;
    }
}
