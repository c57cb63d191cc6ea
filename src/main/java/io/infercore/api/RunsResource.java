package io.infercore.api;

import io.infercore.access.ModelGate;
import io.infercore.error.InfercoreException;
import io.infercore.supervisor.RunLogs;
import io.infercore.supervisor.RunView;
import io.infercore.supervisor.Supervisor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
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

/** Running models on every engine: list, inspect logs, stop. */
@Path("/api/v1/models/running")
@Tag(name = "Runs", description = "Models running on any engine, including the built-in ones")
@Produces(MediaType.TEXT_PLAIN) // the real type is set by Replies
public class RunsResource {

    static final int MAX_LINES = 2000;

    @Inject
    Supervisor supervisor;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;

    @GET
    @Operation(summary = "List runs", description = "Every run with its status (starting, running, unhealthy, "
            + "restarting, failed, stopped), replicas, ports, pids and restart counts; the built-in embedded models too. "
            + "A run on a named instance shows engine_type as started (ollama:gpu2) and its instance (gpu2).")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the list of runs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    public Multi<String> list(@Context ContainerRequestContext request) {
        return replies.json(RequestIds.of(request), Uni.createFrom().item(supervisor::list));
    }

    @GET
    @Path("/{run_id}")
    @Operation(summary = "One run")
    @APIResponse(responseCode = "404", description = "No such run")
    public Multi<String> get(@PathParam("run_id") String runId, @Context ContainerRequestContext request) {
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> supervisor.get(runId)));
    }

    @GET
    @Path("/{run_id}/logs")
    @Blocking
    @Operation(summary = "A run's logs", description = "The supervisor's events for the run and the last lines "
            + "(?lines=, default 200) of each replica's engine output.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is {run_id, events, replicas[{index, pid, lines}]}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunLogs.class)))
    @APIResponse(responseCode = "404", description = "No such run")
    public Multi<String> logs(@PathParam("run_id") String runId, @QueryParam("lines") @DefaultValue("200") int lines,
                              @Context ContainerRequestContext request) {
        if (lines < 1 || lines > MAX_LINES) {
            throw InfercoreException.invalid("lines", "lines must be between 1 and " + MAX_LINES);
        }
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> supervisor.logs(runId, lines)));
    }

    @POST
    @Path("/{run_id}/stop")
    @Blocking
    @Operation(summary = "Stop a run", description = "Launched engines get SIGTERM, then SIGKILL after "
            + "supervisor.stop_grace, for their whole process tree; their ports are free when this answers. Ollama "
            + "models are unloaded (keep_alive 0) from the Ollama (instance) they run on; embedded models unloaded; "
            + "attached servers, named vLLM/SGLang instances included, are only forgotten, never stopped.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is the run, status \"stopped\"",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "A built-in model, which cannot be stopped")
    public Multi<String> stop(@PathParam("run_id") String runId, @Context ContainerRequestContext request) {
        gate.run(request, runId);
        return replies.json(RequestIds.of(request), Uni.createFrom().item(() -> supervisor.stop(runId)));
    }
}
