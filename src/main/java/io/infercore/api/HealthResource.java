package io.infercore.api;

import io.infercore.access.Open;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/** The seed's liveness endpoint; Kubernetes should use /q/health/live and /q/health/ready. */
@Open
@Path("/health")
@Tag(name = "Health")
public class HealthResource {

    private static final Map<String, String> OK = Map.of("status", "ok");

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Process is up", description = "Always {\"status\":\"ok\"} while the service answers; "
            + "readiness (default model loaded) is /q/health/ready")
    public Map<String, String> health() {
        return OK;
    }
}
