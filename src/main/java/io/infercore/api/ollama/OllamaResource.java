package io.infercore.api.ollama;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.access.ModelGate;
import io.infercore.api.ApiError;
import io.infercore.api.Replies;
import io.infercore.api.RequestIds;
import io.infercore.api.openai.ModelRouter;
import io.infercore.engine.GenerationRequest;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.EmbeddingCompletion;
import io.infercore.inference.InferenceService;
import io.infercore.inference.Target;
import io.infercore.metrics.RequestProbe;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Ollama's server API on infercore's port, for the clients that speak only it (the {@code ollama}
 * Python and JavaScript libraries, Open WebUI, LangChain4j's Ollama models). A thin translator, as
 * the OpenAI routes are: bodies become engine requests for {@link InferenceService}, models are
 * found by {@link ModelRouter} (a name from {@code /api/tags}, a {@code run_id}, or
 * {@code engine/model}). Replies stream as NDJSON unless {@code "stream": false}; errors are
 * Ollama's {@code {"error":"..."}} with its statuses (400, 404 for an unknown model, 503...).
 * The paths are Ollama's and lie beside infercore's own {@code /api/v1}, which none of them enters.
 */
@Path("/api")
@Tag(name = "Ollama-compatible", description = "Ollama's server API over every engine: /api/tags lists what infercore "
        + "serves")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type (JSON or NDJSON) is set per reply by Replies
public class OllamaResource {

    static final String NDJSON = "application/x-ndjson";
    /** The Ollama release whose API this follows; clients read it to know which fields exist. */
    static final String API_VERSION = "0.12.6";

    @Inject
    InferenceService inference;
    @Inject
    ModelRouter router;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;
    @Inject
    ObjectMapper mapper;
    @Inject
    OllamaModels models;

    @GET
    @Path("/version")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ollama API version", description = "The Ollama release whose API infercore follows")
    public Map<String, String> version() {
        return Map.of("version", API_VERSION);
    }

    @GET
    @Path("/tags")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Models infercore can serve (Ollama's list)", description = "The same models as GET /v1/models: "
            + "the embedded ones, live runs, and every model the engines list")
    public Uni<Map<String, Object>> tags(@Context ContainerRequestContext request) {
        return router.list().map(all -> Map.of("models", models.tags(visible(request, all))));
    }

    @GET
    @Path("/ps")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Models loaded now (Ollama's ps)", description = "The embedded models and live supervised runs")
    public Uni<Map<String, Object>> ps(@Context ContainerRequestContext request) {
        return router.list().map(all -> Map.of("models", models.running(visible(request, all))));
    }

    @POST
    @Path("/show")
    @Operation(summary = "One model's details (Ollama's show)")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> show(OllamaRequests.Show body, @Context ContainerRequestContext request) {
        OllamaRequests.Show b = require(body);
        String model = b.target();
        return reply(request, "/api/show", false, model, () -> {
            OllamaRequests.refuse("model", model == null || model.isBlank(), "model is required");
            return router.target(model).chain(target -> {
                gate.generation(request, target, "model");
                return models.show(model, target);
            }).map(this::single);
        });
    }

    @POST
    @Path("/chat")
    @Operation(summary = "Chat (Ollama)", description = "NDJSON lines {model, created_at, message, done: false}, then "
            + "one with done: true, done_reason and the metrics; \"stream\": false answers that last object with the "
            + "whole message. An empty messages list only loads the model (done_reason load).")
    @APIResponse(responseCode = "200", description = "An NDJSON stream, or one JSON object")
    @APIResponse(responseCode = "400", description = "Invalid request: {\"error\": \"...\"}")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> chat(OllamaRequests.Chat body, @Context ContainerRequestContext request) {
        OllamaRequests.Chat b = require(body);
        return generation(request, "/api/chat", true, b.model(), OllamaRequests.streaming(b.stream()),
                OllamaRequests.onlyLoads(b), OllamaRequests.unloads(b.keepAlive()), () -> OllamaRequests.chat(b));
    }

    @POST
    @Path("/generate")
    @Operation(summary = "Generate (Ollama)", description = "As chat, with the text in response; system and prompt "
            + "become a system and a user turn. An empty prompt only loads the model (done_reason load).")
    @APIResponse(responseCode = "200", description = "An NDJSON stream, or one JSON object")
    @APIResponse(responseCode = "400", description = "Invalid request: {\"error\": \"...\"}")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> generate(OllamaRequests.Generate body, @Context ContainerRequestContext request) {
        OllamaRequests.Generate b = require(body);
        return generation(request, "/api/generate", false, b.model(), OllamaRequests.streaming(b.stream()),
                OllamaRequests.onlyLoads(b), OllamaRequests.unloads(b.keepAlive()), () -> OllamaRequests.generate(b));
    }

    @POST
    @Path("/embed")
    @Operation(summary = "Embeddings (Ollama)", description = "{model, embeddings: [[...]], total_duration, "
            + "prompt_eval_count}; dimensions truncates and re-normalises the vectors, as Ollama does. all-minilm-l6-v2 "
            + "is embedded in-process.")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> embed(OllamaRequests.Embed body, @Context ContainerRequestContext request) {
        OllamaRequests.Embed b = require(body);
        long start = System.nanoTime();
        return reply(request, "/api/embed", false, b.model(), () -> {
            List<String> texts = OllamaRequests.inputs(b.input());
            OllamaRequests.refuse("dimensions", b.dimensions() != null && b.dimensions() < 1,
                    "dimensions must be a positive integer");
            return embedding(request, b.model(), texts).map(c -> single(OllamaModels.embedReply(c, b.dimensions(),
                    System.nanoTime() - start)));
        });
    }

    @POST
    @Path("/embeddings")
    @Operation(summary = "Embedding of one text (Ollama's older route)", description = "{embedding: [...]}")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public Multi<String> embeddings(OllamaRequests.Embeddings body, @Context ContainerRequestContext request) {
        OllamaRequests.Embeddings b = require(body);
        return reply(request, "/api/embeddings", false, b.model(), () -> {
            OllamaRequests.refuse("prompt", b.prompt() == null, "prompt is required: the text to embed");
            return embedding(request, b.model(), List.of(b.prompt()))
                    .map(c -> single(Map.of("embedding", c.result().embeddings().get(0))));
        });
    }

    private Uni<EmbeddingCompletion> embedding(ContainerRequestContext request, String model,
                                             List<String> texts) {
        RequestProbe probe = RequestProbe.of(request);
        return router.target(model).chain(target -> {
            gate.embedding(request, target, "model");
            return inference.embed(target, texts, probe);
        });
    }

    private Multi<String> generation(ContainerRequestContext request, String path, boolean chat, String model,
                                     boolean streaming, boolean onlyLoads, boolean unloads,
                                     Supplier<GenerationRequest> draft) {
        RequestProbe probe = RequestProbe.of(request);
        long start = System.nanoTime();
        String requestId = RequestIds.of(request);
        return reply(request, path, streaming && !onlyLoads, model, () -> {
            GenerationRequest d = onlyLoads ? null : draft.get();
            return router.target(model).chain(target -> {
                gate.generation(request, target, "model");
                String shown = shownName(model, target);
                NdjsonLines lines = new NdjsonLines(mapper, chat, shown, start);
                if (onlyLoads) {
                    return models.exists(target).map(ok -> single(lines.loaded(unloads)));
                }
                if (streaming) {
                    return inference.stream(target, d, probe).map(s -> lines.stream(s, errorLine(requestId, model)));
                }
                return inference.generate(target, d, probe).map(c -> single(lines.whole(c.result())));
            });
        });
    }

    /** Ollama answers with the name the client used; without one, with infercore's default model. */
    private static String shownName(String model, Target target) {
        if (model != null && !model.isBlank()) {
            return model;
        }
        return target.modelName() == null ? "" : target.modelName();
    }

    /**
     * Failures before the first byte become an HTTP error in Ollama's shape ({@code ExceptionMappers}
     * writes {@code {"error":"..."}} for these paths); an unknown model reads as Ollama words it.
     */
    private Multi<String> reply(ContainerRequestContext request, String path, boolean streaming, String model,
                                Supplier<Uni<? extends Multi<String>>> work) {
        return replies.deferred(RequestIds.of(request), path, streaming ? NDJSON : MediaType.APPLICATION_JSON, work,
                t -> forOllama(t, model));
    }

    private Function<Throwable, String> errorLine(String requestId, String model) {
        return t -> replies.write(Map.of("error", ApiError.of(forOllama(t, model), requestId).message())) + "\n";
    }

    /** {@code model 'x' not found}, as Ollama says it (clients match on "not found"), with infercore's hint. */
    static Throwable forOllama(Throwable t, String model) {
        if (t instanceof InfercoreException e && e.kind() == ErrorKind.MODEL_NOT_FOUND && model != null) {
            String hint = e.getMessage() == null ? "" : e.getMessage().replace("GET /v1/models", "GET /api/tags");
            return new InfercoreException(e.kind(), "model '" + model + "' not found: " + hint, "model", e.getCause());
        }
        return t;
    }

    private Multi<String> single(Object reply) {
        return Multi.createFrom().item(reply instanceof String s ? s : replies.write(reply));
    }

    private List<ModelRouter.Listed> visible(ContainerRequestContext request, List<ModelRouter.Listed> all) {
        return gate.visible(request, all, ModelRouter.Listed::ownedBy, ModelRouter.Listed::id);
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw InfercoreException.invalid(null, "missing request body");
        }
        return body;
    }
}
