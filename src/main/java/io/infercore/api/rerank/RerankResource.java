package io.infercore.api.rerank;

import io.infercore.access.ModelGate;
import io.infercore.api.Replies;
import io.infercore.api.RequestIds;
import io.infercore.api.openai.ModelRouter;
import io.infercore.api.openai.OpenAiResource;
import io.infercore.inference.InferenceService;
import io.infercore.metrics.RequestProbe;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/rerank} in Jina's and Cohere's shape, for RAG pipelines (LangChain, LlamaIndex,
 * Haystack, Dify...) that rerank through such an API. A thin translator onto
 * {@link InferenceService#rerank}: the model is routed as on every {@code /v1} route
 * ({@link ModelRouter}), errors are OpenAI's {@code {"error":{...}}} like the rest of {@code /v1}.
 */
@Path("/v1/rerank")
@Tag(name = "Rerank", description = "Documents scored against a query by a reranking model on an engine (vLLM)")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type is set by Replies
public class RerankResource {

    @Inject
    InferenceService inference;
    @Inject
    ModelRouter router;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;

    @POST
    @Operation(summary = "Rerank documents (Jina / Cohere)", description = "{model, results: [{index, relevance_score, "
            + "document?: {text}}], usage}, most relevant first. Needs a reranking model on an engine that reranks "
            + "(vLLM serving e.g. BAAI/bge-reranker-v2-m3); infercore embeds none, so without one the answer is a 400 "
            + "naming those engines.")
    @APIResponse(responseCode = "200", description = "The scored documents")
    @APIResponse(responseCode = "400", description = "Invalid request, or no engine that reranks was named")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> rerank(RerankBodies.Jina body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        RequestProbe probe = RequestProbe.of(request);
        return replies.deferred(requestId, "/v1/rerank", MediaType.APPLICATION_JSON, () -> {
            Replies.requireBody(body);
            List<String> documents = RerankBodies.documents(body.documents());
            return router.target(body.model()).chain(target -> {
                gate.embedding(request, target, "model");
                return inference.rerank(target, body.query(), documents, body.topN(), probe);
            }).map(c -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("id", "rerank-" + requestId);
                out.put("model", c.modelName());
                out.put("results", RerankBodies.results(c, documents, body.returnDocuments()));
                out.put("usage", RerankBodies.usage(c));
                return Multi.createFrom().item(replies.write(out));
            });
        }, OpenAiResource::forV1);
    }
}
