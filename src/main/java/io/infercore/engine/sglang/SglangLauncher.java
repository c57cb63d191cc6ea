package io.infercore.engine.sglang;

import io.infercore.config.InfercoreConfig;
import io.infercore.supervisor.HfServerLauncher;
import io.infercore.supervisor.ServerCommand;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Map;
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
    protected Map<String, InfercoreConfig.EngineInstance> instances(InfercoreConfig config) {
        return config.sglang().instances();
    }

    @Override
    protected Optional<String> apiKey(InfercoreConfig config) {
        return config.sglang().apiKey();
    }

    @Override
    protected Optional<String> attachUrl(InfercoreConfig config) {
        var value = ConfigProvider.getConfig().getConfigValue("infercore.sglang.base_url");
        boolean explicit = value.getRawValue() != null && value.getSourceOrdinal() > Integer.MIN_VALUE
                && value.getSourceName() != null && !value.getSourceName().contains("Default");
        return explicit ? Optional.of(config.sglang().baseUrl()) : Optional.empty();
    }

    @Override
    protected Map<String, ServerCommand.Arg> launchArgs() {
        return SglangCommand.ARGS;
    }

    @Override
    public ServerCommand serverCommand(InfercoreConfig config) {
        return new SglangCommand(config.sglang().launchCommand(), config.sglang().memFractionStatic().orElse(null),
                config.sglang().apiKey().orElse(null));
    }

    @Override
    protected String image(InfercoreConfig.Kubernetes kubernetes) {
        return kubernetes.sglangImage();
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
