package io.infercore.engine.vllm;

import io.infercore.config.InfercoreConfig;
import io.infercore.supervisor.HfServerLauncher;
import io.infercore.supervisor.LaunchContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the supervisor launches vLLM: attached when {@code vllm.base_url} is set, else spawned.
 * The model argument: a {@code vllm.model_aliases} entry for the model id or its HF repo (a repo
 * id or a path), else {@code vllm.local_model_path} when that directory is, or contains, a
 * directory named like the repo, else the HF repo (downloaded by vLLM into the models
 * directory). The served name is the HF repo, or the alias target when that is a repo.
 */
@ApplicationScoped
public class VllmLauncher extends HfServerLauncher {

    @Override
    public String type() {
        return VllmEngine.TYPE;
    }

    @Override
    protected Optional<String> attachUrl(InfercoreConfig config) {
        return config.vllm().baseUrl().filter(u -> !u.isBlank());
    }

    @Override
    protected String int8Method() {
        return null;
    }

    @Override
    protected String noInt8() {
        return "vLLM has no on-the-fly int8 quantization; use int4 (bitsandbytes), fp8, or a pre-quantized repo";
    }

    @Override
    protected String contextArg() {
        return "max_model_len";
    }

    /** vLLM honours {@code tool_choice: "auto"} only with both {@code --tool-call-parser} and {@code --enable-auto-tool-choice}. */
    @Override
    protected boolean autoToolChoiceWithParser() {
        return true;
    }

    @Override
    protected Source hubSource(LaunchContext c, String repo) {
        Map<String, String> aliases = c.config().vllm().modelAliases();
        String alias = aliases.getOrDefault(c.model().id(), aliases.get(repo));
        if (alias != null && !alias.isBlank()) {
            boolean path = LaunchContext.isPath(alias);
            return new Source(path ? LaunchContext.expandHome(alias) : alias, path ? repo : alias);
        }
        return new Source(localCopy(c.config(), repo).orElse(repo), repo);
    }

    private static Optional<String> localCopy(InfercoreConfig config, String repo) {
        return config.vllm().localModelPath().filter(p -> !p.isBlank()).map(p -> Path.of(LaunchContext.expandHome(p)))
                .flatMap(dir -> {
                    String name = repo.substring(repo.indexOf('/') + 1);
                    if (Files.isDirectory(dir) && dir.getFileName() != null
                            && dir.getFileName().toString().equalsIgnoreCase(name)) {
                        return Optional.of(dir.toAbsolutePath().toString());
                    }
                    Path inside = dir.resolve(name);
                    return Files.isDirectory(inside) ? Optional.of(inside.toAbsolutePath().toString()) : Optional.empty();
                });
    }
}
