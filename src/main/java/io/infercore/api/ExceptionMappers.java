package io.infercore.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Every exception that escapes a resource becomes the route's error shape: the envelope on
 * {@code /api/v1}, OpenAI's {@code {"error":{...}}} on {@code /v1}. {@link ApiError} decides the
 * status and message.
 */
public class ExceptionMappers {

    @ServerExceptionMapper(priority = 1)
    public Response map(Throwable failure, ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        ApiError error = ApiError.of(failure, requestId);
        return Response.status(error.status())
                .type(MediaType.APPLICATION_JSON)
                .header(RequestIds.HEADER, requestId)
                .entity(body(request.getUriInfo().getPath(), requestId, error))
                .build();
    }

    static Object body(String path, String requestId, ApiError error) {
        if (isOpenAiRoute(path)) {
            return Map.of("error", new OpenAiError(error.message(), error.type(), error.param(),
                    String.valueOf(error.status())));
        }
        return Envelope.error(requestId, error.status(), error.message());
    }

    static boolean isOpenAiRoute(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    /** OpenAI's error object. */
    public record OpenAiError(String message, String type, String param, String code) {
    }
}
