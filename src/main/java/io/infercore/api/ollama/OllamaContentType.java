package io.infercore.api.ollama;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Ollama reads every request body as JSON whatever its {@code Content-Type}, and its own examples
 * are {@code curl .../api/chat -d '{...}'}, which curl sends as form data; so do these routes,
 * instead of answering 415. Only Ollama's paths (under {@code /api/} but not {@code /api/v1}).
 */
public class OllamaContentType {

    @ServerRequestFilter(preMatching = true)
    public void readAsJson(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!"POST".equals(request.getMethod()) || !path.startsWith("/api/") || path.startsWith("/api/v1/")) {
            return;
        }
        MediaType type = request.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
