package io.infercore.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.infercore.error.InfercoreException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Every exception that escapes a resource becomes the route's error shape: the envelope on
 * {@code /api/v1}, Anthropic's {@code {"type":"error","error":{type,message}}} on
 * {@code /v1/messages}, OpenAI's {@code {"error":{...}}} on the rest of {@code /v1}, Ollama's
 * {@code {"error":"..."}} on Ollama's {@code /api/...} routes. {@link ApiError} decides the status
 * and message.
 */
public class ExceptionMappers {

    // Mappers are chosen by the most specific exception type, so the framework's own mappers for
    // JSON and JAX-RS errors must be overridden one by one; they all end in map().

    @ServerExceptionMapper
    public Response infercore(InfercoreException failure, ContainerRequestContext request) {
        return map(failure, request);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException failure, ContainerRequestContext request) {
        return map(failure, request);
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException failure, ContainerRequestContext request) {
        return map(failure, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException failure, ContainerRequestContext request) {
        return map(failure, request);
    }

    @ServerExceptionMapper
    public Response map(Throwable failure, ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        ApiError error = ApiError.of(failure, requestId);
        Response.ResponseBuilder reply = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON)
                .header(RequestIds.HEADER, requestId)
                .entity(body(request.getUriInfo().getPath(), requestId, error));
        if (error.retryAfterSeconds() > 0) {
            reply.header("Retry-After", error.retryAfterSeconds());
        }
        if (error.status() == 401 && "invalid_api_key".equals(error.code())) {
            reply.header("WWW-Authenticate", "Bearer");
        }
        return reply.build();
    }

    public static Object body(String path, String requestId, ApiError error) {
        if (isAnthropicRoute(path)) {
            return anthropicError(error, requestId);
        }
        if (isOpenAiRoute(path)) {
            return Map.of("error", new OpenAiError(error.message(), error.type(), error.param(),
                    error.code() != null ? error.code() : String.valueOf(error.status())));
        }
        if (isOllamaRoute(path)) {
            return Map.of("error", error.message());
        }
        return Envelope.error(requestId, error.status(), error.message());
    }

    /** Ollama's API lives under {@code /api/} beside infercore's own {@code /api/v1}; its errors are {@code {"error":"..."}}. */
    static boolean isOllamaRoute(String path) {
        return path.startsWith("/api/") && !path.equals("/api/v1") && !path.startsWith("/api/v1/");
    }

    static boolean isOpenAiRoute(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    /** Anthropic's Messages API ({@code /v1/messages}, {@code /v1/messages/count_tokens}). */
    static boolean isAnthropicRoute(String path) {
        return path.equals("/v1/messages") || path.startsWith("/v1/messages/");
    }

    /**
     * Anthropic's error body. Its {@code error.type} follows the status as Anthropic's does
     * (overloaded_error for an engine that is busy or unavailable: Anthropic's own status for
     * that, 529, is not used; the status stays the one infercore reports everywhere).
     */
    public static AnthropicErrorBody anthropicError(ApiError error, String requestId) {
        String type = switch (error.status()) {
            case 400, 409, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> error.status() < 500 ? "invalid_request_error" : "api_error";
        };
        return new AnthropicErrorBody("error", new AnthropicError(type, error.message()), requestId);
    }

    /** Anthropic's error body: {@code {"type":"error","error":{type,message},"request_id"}}. */
    @RegisterForReflection
    public record AnthropicErrorBody(String type, AnthropicError error, String requestId) {
    }

    /** The {@code error} member of {@link AnthropicErrorBody}. */
    @RegisterForReflection
    public record AnthropicError(String type, String message) {
    }

    /** OpenAI's error object. */
    @RegisterForReflection
    public record OpenAiError(String message, String type, String param, String code) {
    }
}
