package io.infercore.api.openai;

import io.infercore.access.AccessDenied;
import io.infercore.access.ModelGate;
import io.infercore.api.Replies;
import io.infercore.api.RequestIds;
import io.infercore.engine.GenerationRequest;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.InferenceService;
import io.infercore.metrics.RequestProbe;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI-compatible API, so that platforms integrate with the clients they already have. A thin
 * translator: bodies become the same engine requests as on {@code /api/v1} and go through the
 * same {@link InferenceService} (validation, routing, capabilities, engines); only the shapes and
 * the choice of engine from {@code model} (see {@link ModelRouter}) belong here. Errors are
 * OpenAI's {@code {"error":{message,type,param,code}}} with the HTTP status of the failure.
 */
@Path("/v1")
@Tag(name = "OpenAI-compatible", description = "OpenAI's /v1 API over every engine; model ids from GET /v1/models, "
        + "or engine/model")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type (JSON or SSE) is set per reply by Replies
public class OpenAiResource {

    static final String EVENT_STREAM = "text/event-stream";
    /** Parameter names of the native API that mean {@code model} on {@code /v1}. */
    private static final Map<String, String> V1_PARAMS = Map.of("model_name", "model", "engine_type", "model",
            "run_id", "model");
    private static final Pattern ENGINE_ARG = Pattern.compile("engine_args\\.([a-z_]+)");

    @Inject
    InferenceService inference;
    @Inject
    ModelRouter router;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List servable models", description = "The embedded default model, the embedded embedding "
            + "model, then every model the engines list (unreachable engines are skipped). owned_by is the engine.")
    public Uni<OpenAiReplies.ModelList> models(@Context ContainerRequestContext request) {
        long created = Instant.now().getEpochSecond();
        return router.list().map(models -> new OpenAiReplies.ModelList("list",
                visible(request, models).stream().map(m -> OpenAiReplies.ModelCard.of(m, created)).toList()));
    }

    @GET
    @Path("/models/{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One model of the list")
    @APIResponse(responseCode = "404", description = "Not in the list")
    public Uni<OpenAiReplies.ModelCard> model(@PathParam("id") String id, @Context ContainerRequestContext request) {
        long created = Instant.now().getEpochSecond();
        return router.list().map(models -> visible(request, models).stream().filter(m -> m.id().equals(id)).findFirst()
                .map(m -> OpenAiReplies.ModelCard.of(m, created))
                .orElseThrow(() -> new InfercoreException(ErrorKind.MODEL_NOT_FOUND, "The model '" + id
                        + "' does not exist; GET /v1/models lists the servable models", "model", null)));
    }

    @POST
    @Path("/chat/completions")
    @Operation(summary = "Chat completion (OpenAI)", description = "With \"stream\": true: chat.completion.chunk "
            + "events (role, content deltas, finish_reason, optional usage with choices: []), then data: [DONE]; "
            + "a failure after the stream started is a data: {\"error\":{...}} chunk before [DONE]. "
            + "Reasoning is returned apart, in reasoning_content.")
    @APIResponse(responseCode = "200", description = "A chat.completion, or an SSE stream",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = OpenAiReplies.ChatCompletion.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; error.param names the field")
    @APIResponse(responseCode = "404", description = "Unknown model")
    @APIResponse(responseCode = "503", description = "Engine unavailable or busy")
    public Multi<String> chat(ChatCompletionRequest body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        ChatCompletionRequest b = Replies.requireBody(body);
        RequestProbe probe = RequestProbe.of(request);
        String id = "chatcmpl-" + requestId;
        long created = Instant.now().getEpochSecond();
        return reply(requestId, "/v1/chat/completions", b.streaming(), () -> {
            GenerationRequest draft = b.toDraft();
            return router.target(b.model()).chain(target -> {
                gate.generation(request, target, "model");
                if (b.streaming()) {
                    return inference.streamChoices(target, draft, b.choices(), probe).map(s -> ChunkStream.chat(id,
                            created, s, OpenAiParams.includeUsage(b.streamOptions()), errorChunk(requestId)));
                }
                return inference.generateChoices(target, draft, b.choices(), probe)
                        .map(c -> single(OpenAiReplies.ChatCompletion.of(id, created, c)));
            });
        });
    }

    @POST
    @Path("/completions")
    @Operation(summary = "Text completion (OpenAI, legacy)", description = "With \"stream\": true: text_completion "
            + "chunks, the last carrying finish_reason, optional usage with choices: [], then data: [DONE].")
    @APIResponse(responseCode = "200", description = "A text_completion, or an SSE stream",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = OpenAiReplies.TextCompletion.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; error.param names the field")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> completions(CompletionRequest body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        CompletionRequest b = Replies.requireBody(body);
        RequestProbe probe = RequestProbe.of(request);
        String id = "cmpl-" + requestId;
        long created = Instant.now().getEpochSecond();
        return reply(requestId, "/v1/completions", b.streaming(), () -> {
            GenerationRequest draft = b.toDraft();
            return router.target(b.model()).chain(target -> {
                gate.generation(request, target, "model");
                if (b.streaming()) {
                    return inference.streamChoices(target, draft, b.choices(), probe).map(s -> ChunkStream.text(id,
                            created, s, OpenAiParams.includeUsage(b.streamOptions()), errorChunk(requestId)));
                }
                return inference.generateChoices(target, draft, b.choices(), probe)
                        .map(c -> single(OpenAiReplies.TextCompletion.of(id, created, c)));
            });
        });
    }

    @POST
    @Path("/embeddings")
    @Operation(summary = "Embeddings (OpenAI)", description = "Without model (or with all-minilm-l6-v2) the embedded "
            + "model answers in-process: 384 dimensions, L2-normalised.")
    @APIResponse(responseCode = "200", description = "A list of embeddings, in input order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = OpenAiReplies.EmbeddingList.class)))
    @APIResponse(responseCode = "400", description = "Invalid input, or a model that does not embed")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> embeddings(EmbeddingRequest body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        EmbeddingRequest b = Replies.requireBody(body);
        RequestProbe probe = RequestProbe.of(request);
        return reply(requestId, "/v1/embeddings", false, () -> {
            var texts = b.texts();
            boolean base64 = b.base64();
            return router.target(b.model()).chain(target -> {
                gate.embedding(request, target, "model");
                return inference.embed(target, texts, probe);
            }).map(c -> {
                b.checkDimensions(c.result().dimensions());
                return single(OpenAiReplies.EmbeddingList.of(c, base64));
            });
        });
    }

    /** Every failure before the first byte, synchronous or not, becomes an HTTP error in OpenAI's shape. */
    private Multi<String> reply(String requestId, String path, boolean streaming,
                                Supplier<Uni<? extends Multi<String>>> work) {
        return replies.deferred(requestId, path, streaming ? EVENT_STREAM : MediaType.APPLICATION_JSON, work,
                OpenAiResource::forV1);
    }

    private Function<Throwable, String> errorChunk(String requestId) {
        return t -> "data: " + replies.write(ChunkStream.errorBody(forV1(t), requestId)) + "\n\n";
    }

    private Multi<String> single(Object reply) {
        return Multi.createFrom().item(replies.write(reply));
    }

    /** The shared layers name native fields; on /v1 the same thing is called {@code model}. */
    public static Throwable forV1(Throwable t) {
        if (!(t instanceof InfercoreException e) || e.param() == null || t instanceof AccessDenied) {
            return t;
        }
        if (V1_PARAMS.containsKey(e.param())) {
            return new InfercoreException(e.kind(), e.getMessage(), V1_PARAMS.get(e.param()), e.getCause());
        }
        // Engines refuse an extra as "engine_args.top_k ..."; on /v1 it is the top-level field top_k.
        Matcher extra = ENGINE_ARG.matcher(e.getMessage() == null ? "" : e.getMessage());
        if (e.param().equals("engine_args") && extra.lookingAt()) {
            return new InfercoreException(e.kind(), e.getMessage().substring("engine_args.".length()), extra.group(1),
                    e.getCause());
        }
        return t;
    }

    /** The listed models the caller's key may use (all of them without keys or a key's model list). */
    private List<ModelRouter.Listed> visible(ContainerRequestContext request, List<ModelRouter.Listed> models) {
        return gate.visible(request, models, ModelRouter.Listed::ownedBy, ModelRouter.Listed::id);
    }
}
