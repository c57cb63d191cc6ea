package io.infercore.api.rerank;

import io.infercore.access.ModelGate;
import io.infercore.api.Replies;
import io.infercore.api.RequestIds;
import io.infercore.error.InfercoreException;
import io.infercore.inference.InferenceService;
import io.infercore.metrics.RequestProbe;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
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

/** Rerank in infercore's envelope, addressed like the other {@code /api/v1/llm} routes. */
@Path("/api/v1/llm/rerank")
@Tag(name = "Rerank")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type is set by Replies
public class NativeRerankResource {

    @Inject
    InferenceService inference;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;

    @POST
    @Operation(summary = "Rerank documents", description = "Envelope whose data is {results: [{index, relevance_score, "
            + "document?}], engine_type, model_name, usage}, most relevant first. Needs engine_type vllm (or a run) "
            + "serving a reranking model; infercore embeds no reranker.")
    @APIResponse(responseCode = "200", description = "The scored documents")
    @APIResponse(responseCode = "400", description = "Invalid request, or an engine that does not rerank")
    @APIResponse(responseCode = "404", description = "Unknown model or run")
    public Multi<String> rerank(RerankBodies.Native body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        if (body == null) {
            throw InfercoreException.invalid(null, "request body is required (a JSON object)");
        }
        List<String> documents = RerankBodies.documents(body.documents());
        gate.embedding(request, body.target(), "model_name");
        Uni<Map<String, Object>> data = inference.rerank(body.target(), body.query(), documents, body.topN(),
                RequestProbe.of(request)).map(c -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("results", RerankBodies.results(c, documents, body.returnDocuments()));
                    out.put("engine_type", c.engineType());
                    out.put("model_name", c.modelName());
                    out.put("usage", RerankBodies.usage(c));
                    return out;
                });
        return replies.json(requestId, data);
    }
}
