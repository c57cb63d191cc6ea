package io.infercore.metrics;

import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * Probes every request to an inference route: attaches a {@link RequestProbe} that the resource
 * hands to the inference service, writes {@value #OVERHEAD_HEADER} when the response headers go
 * out, and records the request's meters when the response ends. Routes are a fixed list (the
 * route label can take no other value); other paths are left to Quarkus' own
 * {@code http_server_requests} meters.
 */
public class RequestMetricsFilter {

    /** Milliseconds the service spent on the request outside engine calls, when the headers were written. */
    public static final String OVERHEAD_HEADER = "X-Infercore-Overhead-Ms";
    /** Recorded as the status of a request whose client went away before the response ended (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    static final Set<String> ROUTES = Set.of("/api/v1/llm/generate", "/api/v1/llm/chat",
            "/api/v1/llm/structured-generate", "/api/v1/llm/embed", "/v1/chat/completions", "/v1/completions",
            "/v1/embeddings", "/v1/responses", "/v1/messages", "/v1/messages/count_tokens", "/api/chat",
            "/api/generate", "/api/embed", "/api/embeddings", "/v1/rerank", "/api/v1/llm/rerank");

    @Inject
    InferenceMetrics metrics;

    @ServerRequestFilter(preMatching = true)
    public void probe(ContainerRequestContext request, RoutingContext context) {
        String path = request.getUriInfo().getPath();
        if (!"POST".equals(request.getMethod()) || !ROUTES.contains(path)) {
            return;
        }
        RequestProbe probe = new RequestProbe(path, metrics::finished);
        request.setProperty(RequestProbe.PROPERTY, probe);
        context.addHeadersEndHandler(v -> context.response().putHeader(OVERHEAD_HEADER, probe.overheadMillis()));
        context.addEndHandler(ended -> probe.finish(ended.succeeded() ? context.response().getStatusCode() : CLIENT_CLOSED));
    }
}
