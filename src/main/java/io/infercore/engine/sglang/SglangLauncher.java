package io.infercore.engine.sglang;

import io.infercore.config.InfercoreConfig;
import io.infercore.supervisor.HfServerLauncher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Optional;

/** How the supervisor launches SGLang: attached when {@code sglang.base_url} is set explicitly, else spawned. */
@ApplicationScoped
public class SglangLauncher extends HfServerLauncher {

    @Override
    public String type() {
        return SglangEngine.TYPE;
    }

    /** {@code sglang.base_url} only when set explicitly, since that key has a default (localhost:30000) for requests naming the engine. */
    @Override
    protected Optional<String> attachUrl(InfercoreConfig config) {
        var value = ConfigProvider.getConfig().getConfigValue("infercore.sglang.base_url");
        boolean explicit = value.getRawValue() != null && value.getSourceOrdinal() > Integer.MIN_VALUE
                && value.getSourceName() != null && !value.getSourceName().contains("Default");
        return explicit ? Optional.of(config.sglang().baseUrl()) : Optional.empty();
    }

    @Override
    protected String int8Method() {
        return "w8a8_int8";
    }

    @Override
    protected String contextArg() {
        return "context_length";
    }
}
