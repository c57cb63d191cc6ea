package io.infercore.api.openai;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * On {@code /v1}, the reply type (JSON or SSE) follows the body's {@code stream} flag, never the
 * {@code Accept} header: OpenAI SDKs send {@code Accept: application/json} even when they ask for
 * a stream, and the endpoints' declared type (text/plain, so that pre-formatted chunks are written
 * as they are) would otherwise answer them 406. The real Content-Type is set on each reply.
 */
public class OpenAiAccept {

    @ServerRequestFilter(preMatching = true)
    public void acceptAnything(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/v1/") && request.getHeaders().containsKey(HttpHeaders.ACCEPT)) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, "*/*");
        }
    }
}
