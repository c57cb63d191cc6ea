package io.infercore.access;

import io.infercore.config.InfercoreConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Hands the configured secret values to {@link Secrets} first thing at start-up, whichever source
 * they came from (properties, environment, {@code config.json}), so that they are masked verbatim
 * from then on. ({@code config.json} values and API keys are registered even earlier, when read.)
 */
@ApplicationScoped
public class SecretRegistration {

    void register(@Observes @Priority(1) StartupEvent start, InfercoreConfig config) {
        config.hfToken().ifPresent(Secrets::register);
        config.vllm().apiKey().ifPresent(Secrets::register);
        config.sglang().apiKey().ifPresent(Secrets::register);
        config.apiKeys().ifPresent(keys -> keys.forEach(Secrets::register));
        Secrets.register(System.getenv("HF_TOKEN"));
    }
}
