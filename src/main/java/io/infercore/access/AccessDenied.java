package io.infercore.access;

import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

/**
 * A call refused by access control: no or a wrong key (401), a model outside the key's list (403),
 * or over the key's rate (429, with the seconds to wait for {@code Retry-After}). {@link #code()}
 * is OpenAI's machine-readable {@code error.code} on {@code /v1}.
 */
public final class AccessDenied extends InfercoreException {

    private final String code;
    private final long retryAfterSeconds;

    private AccessDenied(ErrorKind kind, String message, String param, String code, long retryAfterSeconds) {
        super(kind, message, param, null);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static AccessDenied missingKey() {
        return new AccessDenied(ErrorKind.UNAUTHORIZED, "an API key is required: send it as \"Authorization: Bearer "
                + "<key>\" or \"X-API-Key: <key>\"", null, "invalid_api_key", 0);
    }

    static AccessDenied wrongKey() {
        return new AccessDenied(ErrorKind.UNAUTHORIZED, "the API key is not valid", null, "invalid_api_key", 0);
    }

    static AccessDenied model(String keyName, String model, String param) {
        return new AccessDenied(ErrorKind.FORBIDDEN, "the API key '" + keyName + "' may not use model '" + model
                + "'; ask for it to be added to the key's models", param, "model_not_allowed", 0);
    }

    static AccessDenied rate(String keyName, int perMinute, long retryAfterSeconds) {
        return new AccessDenied(ErrorKind.RATE_LIMITED, "the API key '" + keyName + "' is limited to " + perMinute
                + " requests per minute; retry in " + retryAfterSeconds + " s", null, "rate_limit_exceeded",
                retryAfterSeconds);
    }

    /** OpenAI's {@code error.code}: {@code invalid_api_key}, {@code model_not_allowed} or {@code rate_limit_exceeded}. */
    public String code() {
        return code;
    }

    /** Seconds for {@code Retry-After}; 0 when not rate limited. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
