package io.infercore.error;

/**
 * Every failure the service reports, with its HTTP status, whether a retry may succeed, and the
 * OpenAI error {@code type} used on {@code /v1}. This enum is the single mapping to HTTP.
 */
public enum ErrorKind {
    INVALID_REQUEST(400, false, "invalid_request_error"),
    CONTEXT_OVERFLOW(400, false, "invalid_request_error"),
    UNSUPPORTED(400, false, "invalid_request_error"),
    UNAUTHORIZED(401, false, "invalid_request_error"),
    FORBIDDEN(403, false, "invalid_request_error"),
    MODEL_NOT_FOUND(404, false, "not_found_error"),
    NOT_FOUND(404, false, "not_found_error"),
    CONFLICT(409, false, "invalid_request_error"),
    PAYLOAD_TOO_LARGE(413, false, "invalid_request_error"),
    RATE_LIMITED(429, true, "rate_limit_error"),
    INTERNAL(500, false, "api_error"),
    UPSTREAM_ERROR(502, true, "api_error"),
    ENGINE_UNAVAILABLE(503, true, "api_error"),
    OVERLOADED(503, true, "api_error"),
    MODEL_LOADING(503, true, "api_error"),
    UPSTREAM_TIMEOUT(504, true, "api_error");

    private final int httpStatus;
    private final boolean retriable;
    private final String openAiType;

    ErrorKind(int httpStatus, boolean retriable, String openAiType) {
        this.httpStatus = httpStatus;
        this.retriable = retriable;
        this.openAiType = openAiType;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retriable() {
        return retriable;
    }

    public String openAiType() {
        return openAiType;
    }
}
