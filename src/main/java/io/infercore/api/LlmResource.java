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

/**
 * The seed's native generation API. Thin: it turns bodies into engine requests and results
 * into envelopes; everything else happens in {@link InferenceService}.
 */
@Path("/api/v1/llm")
@Tag(name = "Generation", description = "Generate, chat and structured output on any engine")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type (JSON or SSE) is set per reply by Replies
public class LlmResource {

    @Inject
    InferenceService inference;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;

    @POST
    @Path("/generate")
    @Operation(summary = "Single-turn generation", description = "With \"stream\": true the answer is "
            + "text/event-stream: event delta {text}, then event done {finish_reason, usage}, or event error {code, msg}.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the generation, or an SSE stream",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReplyData.Generated.class)))
    @APIResponse(responseCode = "400", description = "Invalid request (the message names the field)")
    @APIResponse(responseCode = "404", description = "Unknown model or run")
    @APIResponse(responseCode = "503", description = "Engine unavailable or busy")
    public Multi<String> generate(GenerateBody body, @Context ContainerRequestContext request) {
        String id = RequestIds.of(request);
        GenerateBody b = Replies.requireBody(body);
        gate.generation(request, b.target(), "model_name");
        RequestProbe probe = RequestProbe.of(request);
        if (b.streaming()) {
            return replies.sse(id, inference.stream(b.target(), b.toRequest(), probe));
        }
        return replies.json(id, inference.generate(b.target(), b.toRequest(), probe).map(ReplyData.Generated::of));
    }

    @POST
    @Path("/chat")
    @Operation(summary = "Multi-turn chat", description = "Same streaming behaviour as generate.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the reply, or an SSE stream",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReplyData.Chatted.class)))
    @APIResponse(responseCode = "400", description = "Invalid request (the message names the field)")
    @APIResponse(responseCode = "404", description = "Unknown model or run")
    @APIResponse(responseCode = "503", description = "Engine unavailable or busy")
    public Multi<String> chat(ChatBody body, @Context ContainerRequestContext request) {
        String id = RequestIds.of(request);
        ChatBody b = Replies.requireBody(body);
        gate.generation(request, b.target(), "model_name");
        RequestProbe probe = RequestProbe.of(request);
        if (b.streaming()) {
            return replies.sse(id, inference.stream(b.target(), b.toRequest(), probe));
        }
        return replies.json(id, inference.generate(b.target(), b.toRequest(), probe).map(ReplyData.Chatted::of));
    }

    @POST
    @Path("/structured-generate")
    @Operation(summary = "Generation constrained to a JSON Schema", description = "The output is validated "
            + "against the schema; a non-conforming answer is retried once, then returned with valid=false and the errors.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is {json, text, valid, errors}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReplyData.Structured.class)))
    @APIResponse(responseCode = "400", description = "Invalid request or schema")
    public Multi<String> structured(StructuredBody body, @Context ContainerRequestContext request) {
        String id = RequestIds.of(request);
        StructuredBody b = Replies.requireBody(body);
        gate.generation(request, b.target(), "model_name");
        RequestProbe probe = RequestProbe.of(request);
        return replies.json(id, inference.structured(b.target(), b.toRequest(), b.schema(), probe).map(ReplyData.Structured::of));
    }
}
