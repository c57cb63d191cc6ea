package io.infercore.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * On the generation routes ({@code /api/v1/llm/*}, {@code /v1/*}, start-stream, and Ollama's
 * {@code /api/*}), the reply type (JSON, SSE or NDJSON) follows the body's {@code stream} flag, never the {@code Accept} header: clients
 * send {@code Accept: application/json} (OpenAI SDKs do even when they ask for a stream), and the
 * endpoints' declared type (text/plain, so that pre-formatted chunks are written as they are)
 * would otherwise answer them 406. The real Content-Type is set on each reply by {@link Replies}.
 */
public class StreamingAccept {

    @ServerRequestFilter(preMatching = true)
    public void acceptAnything(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if ((path.startsWith("/v1/") || path.startsWith("/api/")) && request.getHeaders().containsKey(HttpHeaders.ACCEPT)) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, "*/*");
        }
    }
}
