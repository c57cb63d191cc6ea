package io.infercore.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Readiness data for the named engine instances ({@code <engine>.instances}): each one's state,
 * {@code up} or {@code down: <why>}. Always UP: a remote server that is down makes only requests
 * to that instance fail, never the gateway unready (the others still serve). Each probe is bounded
 * by {@link #BOUND}, well inside a Kubernetes probe's default one-second timeout.
 */
@Readiness
@ApplicationScoped
public class EngineInstancesReadiness implements AsyncHealthCheck {

    static final Duration BOUND = Duration.ofMillis(800);

    @Inject
    EngineInstancesHealth health;

    @Override
    public Uni<HealthCheckResponse> call() {
        return health.named(BOUND).map(all -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("engine-instances").up();
            all.forEach(i -> response.withData(i.address(), i.up() ? "up" : "down: " + i.detail()));
            return response.build();
        });
    }
}
