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
 * {@code /api/v1}, OpenAI's {@code {"error":{...}}} on {@code /v1}, Ollama's {@code {"error":"..."}} on
 * Ollama's {@code /api/...} routes. {@link ApiError} decides the
 * status and message.
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

    static Object body(String path, String requestId, ApiError error) {
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

    /** OpenAI's error object. */
    @RegisterForReflection
    public record OpenAiError(String message, String type, String param, String code) {
    }
}
