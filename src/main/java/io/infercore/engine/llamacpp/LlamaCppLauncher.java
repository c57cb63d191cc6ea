package io.infercore.engine.llamacpp;

import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.GgufSource;
import io.infercore.catalog.ModelSize;
import io.infercore.error.InfercoreException;
import io.infercore.supervisor.EngineLauncher;
import io.infercore.supervisor.LaunchContext;
import io.infercore.supervisor.LaunchOptions;
import io.infercore.supervisor.LaunchPlan;
import io.infercore.supervisor.LaunchRequest;
import io.infercore.supervisor.RunMode;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infercore.supervisor.LaunchContext.refuse;

/**
 * How the supervisor runs a GGUF in the embedded engine: downloaded (or a registered local file)
 * and loaded in-process, once, on the CPU, with no launch arguments (its settings are the
 * {@code llamacpp.*} keys). Embedding models are refused: it embeds only with its built-in model.
 */
@ApplicationScoped
public class LlamaCppLauncher implements EngineLauncher {

    private static final Pattern GGUF_QUANT = Pattern.compile("(?i)[._-](I?Q\\d(?:_[A-Z0-9]+)*|F16|BF16|F32)\\.gguf$");

    @Override
    public String type() {
        return LlamaCppEngine.TYPE;
    }

    @Override
    public LaunchPlan plan(LaunchContext c) {
        LaunchRequest r = c.request();
        CatalogModel model = c.model();
        ModelSize size = c.size();
        GgufSource gguf = size.gguf();
        if (gguf == null && !size.localGguf()) {
            throw InfercoreException.invalid("size", "size '" + size.size() + "' of '" + model.id() + "' has no gguf "
                    + "source, so the embedded llamacpp engine cannot run it" + (model.isEmbedding()
                    ? " (its embedding model " + c.config().defaultEmbeddingModel() + " is built in and always running)" : ""));
        }
        refuse(model.isEmbedding(), "model_id", "the embedded engine runs GGUF generation models; it embeds only "
                + "with its built-in model " + c.config().defaultEmbeddingModel());
        refuse(c.replicas() > 1, "replicas", "the embedded engine serves each model once, in-process; use replicas 1");
        refuse(r.nGpu() != null && r.nGpu() > 0, "n_gpu", "the embedded engine runs on the CPU; use n_gpu 0 or leave it out");
        refuse(Boolean.TRUE.equals(r.enableThinking()), "enable_thinking", "the embedded engine has no thinking mode");
        refuse(!c.args().isEmpty(), "engine_args", "the embedded engine takes no launch arguments (its settings are "
                + "the llamacpp.* keys); pass engine_args with each request instead");
        refuse(r.format() != null && !"gguf".equals(r.format()), "format", "the embedded engine runs GGUF files only");
        String name = model.sizes().size() == 1 ? model.id() : model.id() + ":" + size.size().toLowerCase(Locale.ROOT);
        if (gguf == null) { // a registered GGUF file on this machine: loaded in place, never downloaded
            refuse(r.quantization() != null, "quantization", "the GGUF file " + size.localPath() + " is quantized as "
                    + "published; leave quantization out");
            return new LaunchPlan(type(), RunMode.EMBEDDED, model.id(), size.size(), model.modelType(), name,
                    size.localPath(), null, null, "gguf", 0, 1, r.enableThinking(), Map.of(), null);
        }
        String label = quantization(gguf);
        refuse(r.quantization() != null && !r.quantization().equalsIgnoreCase(label), "quantization",
                "the GGUF file " + gguf.file() + " is quantized as " + (label == null ? "published" : label)
                        + "; leave quantization out" + (label == null ? "" : " or set it to " + label));
        Path file = c.directories().gguf().resolve(gguf.fileName()).toAbsolutePath();
        return new LaunchPlan(type(), RunMode.EMBEDDED, model.id(), size.size(), model.modelType(), name,
                file.toString(), gguf, label, "gguf", 0, 1, r.enableThinking(), Map.of(), null);
    }

    @Override
    public LaunchOptions options(LaunchContext.Choice choice) {
        CatalogModel model = choice.model();
        ModelSize size = choice.size();
        if (model.isEmbedding()) {
            return LaunchOptions.refused(type(), "builtin_embedding");
        }
        if (size.gguf() == null && !size.localGguf()) {
            return LaunchOptions.refused(type(), "no_gguf");
        }
        String label = size.gguf() == null ? null : quantization(size.gguf());
        boolean offered = label != null && model.quantizationsOn(type()).stream().anyMatch(q -> q.equalsIgnoreCase(label));
        String source = size.localGguf() ? size.localPath() : size.gguf().url() != null ? size.gguf().url()
                : size.gguf().repo() + "/" + size.gguf().file();
        return new LaunchOptions(type(), true, null, offered ? List.of(label) : List.of(),
                model.formatsOn(type()).contains("gguf") ? List.of("gguf") : List.of(), null,
                new LaunchOptions.Range(1, 1, 1), CatalogModel.LLM.equals(model.modelType()) ? List.of("off") : List.of(),
                source, Map.of(), null);
    }

    /** The GGUF file's quantization label ({@code q4_0}), or null when its name does not say. */
    private static String quantization(GgufSource gguf) {
        Matcher m = GGUF_QUANT.matcher(gguf.file());
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }
}
