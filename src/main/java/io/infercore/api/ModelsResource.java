package io.infercore.api;

import io.infercore.access.ModelGate;
import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.CatalogReader;
import io.infercore.catalog.ModelCatalog;
import io.infercore.error.InfercoreException;
import io.infercore.supervisor.LaunchFailure;
import io.infercore.supervisor.RunView;
import io.infercore.supervisor.Supervisor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** The model catalog and starting models; running models are in {@link RunsResource}. Thin: the work is in {@link Supervisor}. */
@Path("/api/v1/models")
@Tag(name = "Models", description = "The model catalog; start models on any engine")
@Produces(MediaType.TEXT_PLAIN) // the real type (JSON or SSE) is set per reply by Replies
public class ModelsResource {

    static final String START_STREAM = "/api/v1/models/start-stream";

    @Inject
    ModelCatalog catalog;
    @Inject
    io.infercore.engine.EngineRegistry engines;
    @Inject
    Supervisor supervisor;
    @Inject
    Replies replies;
    @Inject
    io.infercore.supervisor.LaunchResolver launches;
    @Inject
    ModelGate gate;

    @GET
    @Operation(summary = "List and search catalog models", description = "The catalog (models.json) and the custom "
            + "registrations (registered: true), with sizes, sources, context length, abilities, licence, gated flag, "
            + "engines, quantizations and formats. Filters, all optional and combined: q (text in id, name, "
            + "description, licence or a repo/Ollama name, case-insensitive), ability (chat, generate, tools, vision, "
            + "reasoning, embedding, rerank), engine (ollama, vllm, sglang, llamacpp), model_type (llm, embedding, rerank).")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the list of models")
    @APIResponse(responseCode = "400", description = "An unknown ability, engine or model_type")
    public Multi<String> list(@QueryParam("q") String query, @QueryParam("ability") String ability,
                              @QueryParam("engine") String engine, @QueryParam("model_type") String type,
                              @Context ContainerRequestContext request) {
        String a = oneOf("ability", ability, CatalogModel.ABILITIES);
        String e = oneOf("engine", engine, CatalogReader.engineTypes(engines.providers()));
        String t = oneOf("model_type", type, CatalogModel.MODEL_TYPES);
        if (query != null && query.length() > MAX_QUERY) {
            throw InfercoreException.invalid("q", "q must be at most " + MAX_QUERY + " characters");
        }
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> catalog.search(query, a, e, t)));
    }

    private static final int MAX_QUERY = 200;

    /** {@code value} when it is one of {@code known}; null when absent; else a 400 listing the known values. */
    private static String oneOf(String param, String value, java.util.Set<String> known) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!known.contains(value)) {
            throw InfercoreException.invalid(param, param + " must be one of " + known.stream().sorted().toList()
                    + ", not '" + value + "'");
        }
        return value;
    }

    @GET
    @Path("/{name}/launch-options")
    @Operation(summary = "What a start request may set for a catalog model", description = "Per size, per engine the "
            + "model lists: whether the size runs there (ok, else why: no_hf_repo, no_ollama_name, no_gguf, "
            + "builtin_embedding, not_launchable), the quantizations and formats it takes, the n_gpu range (null: "
            + "the engine places layers itself), the replicas range, the enable_thinking values, the source it would "
            + "load, the engine_args keys it takes with their kinds, and attached_to when the run would attach to a "
            + "configured server. Built from the catalog and each engine's launcher; the web UI's launch form offers "
            + "exactly this, and POST /start still checks every request.")
    @APIResponse(responseCode = "200", description = "Envelope whose data maps each size to a list of engine options")
    @APIResponse(responseCode = "404", description = "No catalog model or registration has that id")
    public Multi<String> launchOptions(@PathParam("name") String name, @Context ContainerRequestContext request) {
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> launches.options(name)));
    }

    @GET
    @Path("/registrations")
    @Operation(summary = "List custom models", description = "The models added with POST /api/v1/models/registrations "
            + "(kept in <models_dir>/registrations.json); GET /api/v1/models lists them too.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the list of custom models")
    public Multi<String> registrations(@Context ContainerRequestContext request) {
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> catalog.registrations().all()));
    }

    @POST
    @Path("/registrations")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a custom model", description = "A catalog entry as in models.json: id, sizes with "
            + "an hf_repo, a local_path (an absolute Hugging Face model directory or .gguf file on this machine), a "
            + "gguf {repo, file} or {url, sha256}, or an ollama_name; abilities, model_type, context_length, licence "
            + "and the rest optional. engines and formats default to what the sources allow (HF repo or directory: "
            + "vllm, sglang; GGUF: llamacpp; Ollama name: ollama). Kept across restarts; launch it with "
            + "POST /api/v1/models/start like any catalog model.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the registered model")
    @APIResponse(responseCode = "400", description = "An invalid entry (the message names its JSON path)")
    @APIResponse(responseCode = "409", description = "The id is a built-in catalog model or already registered")
    public Multi<String> register(com.fasterxml.jackson.databind.JsonNode body, @Context ContainerRequestContext request) {
        String id = body != null && body.path("id").isTextual() ? body.path("id").asText() : null;
        gate.catalogChange(request, id);
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> catalog.registrations().add(body)));
    }

    @DELETE
    @Path("/registrations/{id}")
    @Blocking
    @Operation(summary = "Delete a custom model", description = "Removes a registration; runs already started keep "
            + "running. Built-in catalog models cannot be deleted (409).")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the removed model")
    @APIResponse(responseCode = "404", description = "No custom model has this id")
    @APIResponse(responseCode = "409", description = "A built-in catalog model")
    public Multi<String> unregister(@PathParam("id") String id, @Context ContainerRequestContext request) {
        gate.catalogChange(request, id);
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> catalog.registrations().remove(id)));
    }

    @POST
    @Path("/start")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a model", description = "Validates the request against the catalog and the engine, "
            + "then starts the run in the background and answers at once with status \"starting\"; follow it in "
            + "GET /api/v1/models/running, or use start-stream. With ?wait=true the answer comes once the run is "
            + "ready (or its start failed, with the engine's last log lines).")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the run {run_id, status, ...}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "400", description = "A field the catalog or the engine cannot honour (the message says why)")
    @APIResponse(responseCode = "409", description = "The engine already serves this model, or no GPUs are free")
    public Multi<String> start(StartBody body, @QueryParam("wait") boolean wait, @Context ContainerRequestContext request) {
        String id = RequestIds.of(request);
        StartBody b = Replies.requireBody(body);
        gate.start(request, b.engineType(), b.modelId());
        RunView started = supervisor.start(b.toRequest(), p -> { });
        Uni<RunView> reply = wait ? Uni.createFrom().completionStage(supervisor.whenStarted(started.runId()))
                .onFailure(CompletionException.class).transform(Throwable::getCause) : Uni.createFrom().item(started);
        return replies.json(id, reply);
    }

    @POST
    @Path("/start-stream")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a model, following its progress", description = "text/event-stream: event progress "
            + "{run_id, stage, message, progress, bytes_done?, bytes_total?} through resolving, downloading, launching "
            + "and loading; then event ready {the run} or event error {code, msg, run_id, log_tail}. A request the "
            + "catalog or engine refuses is a plain 400 envelope. Closing the stream does not stop the run.")
    @APIResponse(responseCode = "200", description = "SSE progress stream")
    @APIResponse(responseCode = "400", description = "A field the catalog or the engine cannot honour")
    public Multi<String> startStream(StartBody body, @Context ContainerRequestContext request) {
        String id = RequestIds.of(request);
        return replies.stream(id, START_STREAM, "text/event-stream", Uni.createFrom().item(() -> open(id, body, request)));
    }

    private Multi<String> open(String requestId, StartBody body, ContainerRequestContext request) {
        StartBody b = Replies.requireBody(body);
        gate.start(request, b.engineType(), b.modelId());
        return Multi.createFrom().emitter(emitter -> {
            Object lock = new Object();
            RunView started;
            try {
                started = supervisor.start(b.toRequest(), p -> {
                    synchronized (lock) {
                        emitter.emit(replies.frame("progress", p));
                    }
                });
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            supervisor.whenStarted(started.runId()).whenComplete((ready, failure) -> {
                synchronized (lock) {
                    emitter.emit(failure == null ? replies.frame("ready", ready)
                            : replies.frame("error", errorData(requestId, started.runId(), failure)));
                    emitter.complete();
                }
            });
        });
    }

    private static Map<String, Object> errorData(String requestId, String runId, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ApiError error = ApiError.of(t, requestId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", error.status());
        data.put("msg", error.message());
        data.put("run_id", runId);
        data.put("request_id", requestId);
        data.put("log_tail", t instanceof LaunchFailure f ? f.logTail() : List.of());
        return data;
    }
}
