package io.infercore.api;

import io.infercore.access.ModelGate;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The native embedding API. Thin, like {@link LlmResource}: the work happens in {@link InferenceService}. */
@Path("/api/v1/llm/embed")
@Tag(name = "Embeddings", description = "Vectors for text; the embedded default model needs no engine server")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type is set by Replies, as on the generation endpoints
public class EmbedResource {

    @Inject
    InferenceService inference;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;

    @POST
    @Operation(summary = "Embed one text or a batch", description = "With neither engine_type nor model_name the "
            + "embedded all-minilm-l6-v2 model answers in-process (384 dimensions, L2-normalised vectors).")
    @APIResponse(responseCode = "200", description = "Envelope whose data holds the vectors, in input order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EmbedData.class)))
    @APIResponse(responseCode = "400", description = "Invalid input, unknown engine, or a model that does not embed")
    @APIResponse(responseCode = "404", description = "Unknown model or run")
    @APIResponse(responseCode = "503", description = "Engine unavailable or busy")
    public Multi<String> embed(EmbedBody body, @Context ContainerRequestContext request) {
        String id = RequestIds.of(request);
        EmbedBody b = Replies.requireBody(body);
        gate.embedding(request, b.target(), "model_name");
        return replies.json(id, inference.embed(b.target(), b.input(), RequestProbe.of(request)).map(EmbedData::of));
    }
}
