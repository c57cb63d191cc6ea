package io.infercore.api;

import io.infercore.health.EngineInstancesHealth;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.Map;

/** Every engine instance's health, for operators (the liveness answer stays {@code /health}). */
@Path("/api/v1/health")
@Tag(name = "Health")
@Produces(MediaType.TEXT_PLAIN) // the real type is set by Replies
public class EnginesHealthResource {

    /** A probe's bound; an instance that does not answer within it is reported down. */
    static final Duration PROBE_BOUND = Duration.ofSeconds(6);

    @Inject
    EngineInstancesHealth health;
    @Inject
    Replies replies;

    @GET
    @Operation(summary = "Engine instances' health", description = "Each engine's default instance and each named "
            + "instance (<engine>.instances in config.json), probed concurrently: engine, instance (default or its "
            + "name), address (ollama, ollama:gpu2), up, endpoint and detail. status is ok when every instance is up, "
            + "else degraded; an instance that is down affects only requests addressed to it.")
    @APIResponse(responseCode = "200", description = "Envelope whose data is {status, engines}")
    public Multi<String> health(@Context ContainerRequestContext request) {
        return replies.json(RequestIds.of(request), health.all(PROBE_BOUND).map(all -> Map.of(
                "status", all.stream().allMatch(EngineInstancesHealth.InstanceHealth::up) ? "ok" : "degraded",
                "engines", all)));
    }
}
