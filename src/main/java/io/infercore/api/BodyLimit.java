package io.infercore.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.UncheckedIOException;

/**
 * Request bodies above {@code quarkus.http.limits.max-body-size} answer 413 in the route's error
 * shape (envelope on {@code /api/v1}, OpenAI's error on {@code /v1}) with the request id.
 *
 * <p>Quarkus enforces the same limit itself, but before JAX-RS and with an empty 413 body, so
 * this Vert.x route runs first: a {@code Content-Length} above the limit is refused at once; a
 * chunked body is read here up to the limit and handed on as the request's body (RESTEasy
 * Reactive reads a body already read), or refused as soon as it passes the limit, so it is never
 * buffered whole. Either way the connection is closed after the 413, as the rest of the body is
 * not read.
 */
@ApplicationScoped
public class BodyLimit {

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        long limit = maxBodySize.asLongValue();
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            if (tooLarge(length, limit)) {
                refuse(ctx, limit);
            } else {
                ctx.next();
            }
            return;
        }
        if (!request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            ctx.next();
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                request.pause();
                refuse(ctx, limit);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(ctx::fail);
        request.endHandler(v -> {
            if (!ctx.response().ended()) {
                ctx.setBody(body);
                ctx.next();
            }
        });
        request.resume();
    }

    private static boolean tooLarge(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself refuses a malformed Content-Length
        }
    }

    private void refuse(RoutingContext ctx, long limit) {
        String requestId = RequestIds.accept(ctx.request().getHeader(RequestIds.HEADER));
        ApiError error = new ApiError(413, "request body too large: the limit is " + limit
                + " bytes (quarkus.http.limits.max-body-size)", "invalid_request_error", null);
        String body;
        try {
            body = mapper.writeValueAsString(ExceptionMappers.body(ctx.normalizedPath(), requestId, error));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(RequestIds.HEADER, requestId)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body)
                .onComplete(done -> ctx.request().connection().close());
    }
}
