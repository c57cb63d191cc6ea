package io.infercore.health;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EngineProvider;
import io.infercore.engine.EngineRegistry;
import io.infercore.nativeimage.EmbeddedSwitch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means "can answer a request without naming a model": when the default engine is the
 * embedded one, its default model must be loaded. Per-run health lives in the running list.
 */
@Readiness
@ApplicationScoped
public class DefaultModelReadiness implements HealthCheck {

    @Inject
    InfercoreConfig config;
    @Inject
    EngineRegistry engines;
    @Inject
    EmbeddedSwitch embedded;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("default-model")
                .withData("engine", config.defaultEngine())
                .withData("model", config.defaultModelName());
        if (!embedded.enabled()) { // a remote-only gateway: nothing to wait for, the remote engines serve
            return response.withData("state", "embedded engine off").withData("detail", embedded.message()).up().build();
        }
        EngineProvider.InProcess local = engines.provider(config.defaultEngine()).inProcess().orElse(null);
        if (local == null || !config.llamacpp().loadOnStart()) {
            return response.up().build();
        }
        String state = local.status(config.defaultModelName()).orElse("not loaded");
        response.withData("state", state).withData("path", local.defaultModelPath().toString());
        if (!"ready".equals(state)) {
            return response.withData("detail", engines.require(config.defaultEngine()).health().await().indefinitely()
                    .detail()).down().build();
        }
        return response.up().build();
    }
}
