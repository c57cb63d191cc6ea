package io.infercore.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The human message inside an engine's error body, whichever envelope it uses:
 * vLLM ≥ 0.10.1 and SGLang {@code /generate} {@code {"error":{"message":...}}}; vLLM ≤ 0.10.0 and
 * SGLang's OpenAI routes flat {@code {"object":"error","message":...}}; stream errors wrapping
 * either in {@code {"error":...}}; {@code {"error":"Unauthorized"}}; FastAPI {@code {"detail":...}};
 * and, failing all that, the raw text.
 */
public final class ErrorBodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RAW = 300;

    private ErrorBodies() {
    }

    /**
     * The status inside a 2xx answer that is really an error envelope, or 0. vLLM 0.11.0 answers
     * some refusals this way, e.g. {@code /v1/embeddings} on a generation model: HTTP 200 with
     * {@code {"error":{"message":"The model does not support Embeddings API",...,"code":400}}}
     * (recorded in src/test/fakes/transcripts/vllm-0.11.0/embeddings.txt).
     */
    public static int embeddedStatus(String body) {
        if (body == null || !body.stripLeading().startsWith("{\"error\"")) {
            return 0;
        }
        try {
            JsonNode node = JSON.readTree(body);
            int code = node.path("error").path("code").asInt(0);
            return node.size() == 1 && code >= 400 && code <= 599 ? code : 0;
        } catch (Exception notJson) {
            return 0;
        }
    }

    /** The message of an error body, or the (shortened) body itself when it is not JSON. */
    public static String message(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            String found = message(JSON.readTree(body));
            if (found != null) {
                return found;
            }
        } catch (Exception notJson) {
            // fall through to the raw text
        }
        String raw = body.strip();
        return raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "..." : raw;
    }

    /** The message of a parsed body, or null when the node is not an error envelope. */
    public static String message(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode error = node.get("error");
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        if (error != null && error.isObject()) {
            String nested = message(error);
            return nested != null ? nested : error.toString();
        }
        if ("error".equals(node.path("object").asText()) || node.has("message") && !node.has("choices")) {
            return node.path("message").asText(null);
        }
        JsonNode detail = node.get("detail");
        if (detail != null) {
            return detail.isTextual() ? detail.asText() : detail.toString();
        }
        return null;
    }

    /** Whether a stream chunk is an error instead of data (an {@code error} member, or a flat envelope). */
    public static boolean isStreamError(JsonNode chunk) {
        return chunk.isObject() && (chunk.has("error") || "error".equals(chunk.path("object").asText()));
    }
}
