package io.infercore.api.ollama;

import io.infercore.api.openai.ModelRouter;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.Capability;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineRegistry;
import io.infercore.engine.ModelInfo;
import io.infercore.inference.EmbeddingCompletion;
import io.infercore.inference.Target;
import io.infercore.supervisor.RunStatus;
import io.infercore.supervisor.RunTarget;
import io.infercore.supervisor.Supervisor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What Ollama's model routes show of infercore's models. Infercore knows a model's name, its
 * engine and (once resolved) its context length, not Ollama's blob facts: {@code size} is 0,
 * {@code digest} is the SHA-256 of {@code engine/name} (stable, unique, and not a file's), and
 * {@code details.family} is the engine. Embedding-only models are known for the embedded engine only.
 */
@ApplicationScoped
class OllamaModels {

    /** Ollama's {@code expires_at} for a model that stays loaded. */
    private static final String NEVER = "2318-01-01T00:00:00Z";

    @Inject
    EngineRegistry engines;
    @Inject
    InfercoreConfig config;
    @Inject
    Supervisor supervisor;

    List<Map<String, Object>> tags(List<ModelRouter.Listed> listed) {
        String now = Instant.now().toString();
        List<Map<String, Object>> out = new ArrayList<>(listed.size());
        for (ModelRouter.Listed m : listed) {
            Map<String, Object> tag = entry(m);
            tag.put("modified_at", now);
            tag.put("size", 0);
            tag.put("digest", digest(m));
            tag.put("details", details(m.ownedBy()));
            out.add(tag);
        }
        return out;
    }

    /** The embedded models (in-process) and every live supervised run, under the names the listing gives them. */
    List<Map<String, Object>> running(List<ModelRouter.Listed> listed) {
        Set<String> live = supervisor.routes().stream()
                .filter(r -> r.status() != RunStatus.STOPPED && r.status() != RunStatus.FAILED)
                .flatMap(r -> Stream.of(r.runId(), r.modelName())).collect(Collectors.toSet());
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelRouter.Listed m : listed) {
            if (engines.provider(m.ownedBy()).inProcess().isPresent() || live.contains(m.id())) {
                Map<String, Object> ps = entry(m);
                ps.put("size", 0);
                ps.put("digest", digest(m));
                ps.put("details", details(m.ownedBy()));
                ps.put("expires_at", NEVER);
                ps.put("size_vram", 0);
                out.add(ps);
            }
        }
        return out;
    }

    /** Ollama's {@code show}: details, {@code model_info} with the context length, and the capabilities. */
    Uni<Map<String, Object>> show(String name, Target target) {
        Resolved r = resolved(target);
        EngineAdapter adapter = engines.require(r.engine());
        boolean embeddingOnly = engines.provider(r.engine()).inProcess().isPresent() && r.model().equals(config.defaultEmbeddingModel());
        Uni<ModelInfo> info = embeddingOnly ? Uni.createFrom().item(new ModelInfo(r.model(), 0))
                : adapter.resolveModel(r.model());
        return info.map(m -> {
            Map<String, Object> show = new LinkedHashMap<>();
            show.put("modelfile", "# served by infercore's " + r.engine() + " engine as " + m.name() + "\n");
            show.put("parameters", "");
            show.put("template", "");
            show.put("details", details(r.engine()));
            Map<String, Object> modelInfo = new LinkedHashMap<>();
            modelInfo.put("general.architecture", r.engine());
            modelInfo.put("general.basename", m.name());
            if (m.contextLength() > 0) {
                modelInfo.put(r.engine() + ".context_length", m.contextLength());
            }
            show.put("model_info", modelInfo);
            show.put("capabilities", capabilities(adapter, embeddingOnly));
            show.put("modified_at", Instant.now().toString());
            return show;
        });
    }

    /** Succeeds when the target's model exists (a load request answers only then); 404 otherwise. */
    Uni<Boolean> exists(Target target) {
        Resolved r = resolved(target);
        return engines.require(r.engine()).resolveModel(r.model()).map(m -> true);
    }

    private record Resolved(String engine, String model) {
    }

    private Resolved resolved(Target target) {
        if (target.runId() != null) {
            RunTarget run = supervisor.resolve(target.runId());
            return new Resolved(run.engineType(), run.modelName());
        }
        String engine = blank(target.engineType()) ? config.defaultEngine() : target.engineType();
        String model = blank(target.modelName()) ? config.defaultModelName() : target.modelName();
        return new Resolved(engine, model);
    }

    private static List<String> capabilities(EngineAdapter adapter, boolean embeddingOnly) {
        if (embeddingOnly) {
            return List.of("embedding");
        }
        List<String> out = new ArrayList<>();
        out.add("completion");
        if (adapter.supports(Capability.TOOLS)) {
            out.add("tools");
        }
        return out;
    }

    /** {@code {model, embeddings, total_duration, prompt_eval_count}}; {@code dimensions} keeps the first n, re-normalised. */
    static Map<String, Object> embedReply(EmbeddingCompletion c, Integer dimensions, long totalNanos) {
        List<float[]> vectors = c.result().embeddings();
        if (dimensions != null && dimensions < c.result().dimensions()) {
            vectors = vectors.stream().map(v -> shortened(v, dimensions)).toList();
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("model", c.modelName());
        reply.put("embeddings", vectors);
        reply.put("total_duration", totalNanos);
        if (c.result().promptTokens() > 0) {
            reply.put("prompt_eval_count", c.result().promptTokens());
        }
        return reply;
    }

    private static float[] shortened(float[] v, int n) {
        float[] out = Arrays.copyOf(v, n);
        double norm = 0;
        for (float x : out) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }

    private static Map<String, Object> entry(ModelRouter.Listed m) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", m.id());
        e.put("model", m.id());
        return e;
    }

    private Map<String, Object> details(String engine) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("parent_model", "");
        d.put("format", engines.provider(engine).servesGguf() ? "gguf" : "");
        d.put("family", engine);
        d.put("families", List.of(engine));
        d.put("parameter_size", "");
        d.put("quantization_level", "");
        return d;
    }

    private static String digest(ModelRouter.Listed m) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((m.ownedBy() + "/" + m.id()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
