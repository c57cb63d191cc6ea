package io.infercore.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.infercore.access.AccessDenied;
import io.infercore.access.Secrets;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

import java.util.stream.Collectors;

/**
 * Turns any failure into what the client is told: status, message, OpenAI type, param and code
 * (OpenAI's machine-readable {@code error.code}; {@code null}: the status). The single place where
 * exceptions become HTTP; it never exposes a stack trace, a class name or a secret (every message
 * passes {@link Secrets#redact}: engines' error texts and URLs may carry tokens).
 */
public record ApiError(int status, String message, String type, String param, String code, long retryAfterSeconds) {

    private static final Logger LOG = Logger.getLogger(ApiError.class);

    public ApiError {
        message = Secrets.redact(message);
    }

    public ApiError(int status, String message, String type, String param) {
        this(status, message, type, param, null, 0);
    }

    public static ApiError of(Throwable failure, String requestId) {
        Throwable t = unwrap(failure);
        if (t instanceof AccessDenied e) {
            return new ApiError(e.httpStatus(), e.getMessage(), e.kind().openAiType(), e.param(), e.code(),
                    e.retryAfterSeconds());
        }
        if (t instanceof InfercoreException e) {
            return new ApiError(e.httpStatus(), e.getMessage(), e.kind().openAiType(), e.param());
        }
        if (t instanceof JsonProcessingException e) {
            return fromJson(e);
        }
        if (t instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                LOG.errorf(e, "Request %s failed", requestId);
            }
            String message = switch (status) {
                case 400 -> "malformed request body (a JSON object is expected)";
                case 404 -> "No such endpoint";
                case 405 -> "Method not allowed on this endpoint";
                case 406 -> "Unsupported Accept header";
                case 415 -> "Content-Type must be application/json";
                default -> e.getMessage();
            };
            return new ApiError(status, message, status >= 500 ? "api_error" : "invalid_request_error", null);
        }
        LOG.errorf(t, "Request %s failed unexpectedly", requestId);
        return new ApiError(500, "Internal error; quote request_id " + requestId + " when reporting it",
                ErrorKind.INTERNAL.openAiType(), null);
    }

    private static ApiError fromJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = fieldPath(mapping);
            String reason;
            if (e instanceof UnrecognizedPropertyException) {
                reason = "unknown field '" + field + "'";
            } else if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
                reason = "field '" + field + "' has the wrong type"
                        + (((MismatchedInputException) e).getTargetType() == null ? ""
                        : ": expected " + describe(((MismatchedInputException) e).getTargetType()));
            } else {
                reason = "field '" + field + "' is invalid";
            }
            return new ApiError(400, reason, "invalid_request_error", field);
        }
        if (e instanceof JsonMappingException) {
            return new ApiError(400, "malformed JSON body: a JSON object of the documented shape is expected",
                    "invalid_request_error", null);
        }
        if (e instanceof InputCoercionException) {
            return new ApiError(400, "a number in the request is out of range", "invalid_request_error", null);
        }
        String detail = e.getOriginalMessage() == null ? "" : ": " + e.getOriginalMessage().lines().findFirst().orElse("");
        return new ApiError(400, "malformed JSON body" + detail, "invalid_request_error", null);
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (type == Double.class || type == double.class || type == Float.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "array";
        }
        return "object";
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current != current.getCause()
                && !(current instanceof InfercoreException) && !(current instanceof JsonProcessingException)) {
            if (current instanceof WebApplicationException && !(current.getCause() instanceof JsonProcessingException)) {
                break;
            }
            current = current.getCause();
        }
        return current;
    }
}
