package io.infercore.api.openai;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.Capability;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineRegistry;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.SingleFlight;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.Target;
import io.infercore.supervisor.RunStatus;
import io.infercore.supervisor.Supervisor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps OpenAI's single {@code model} string onto infercore's {@link Target} (engine + model), and
 * lists what {@code /v1/models} shows. OpenAI clients know nothing of engines, so the engine is
 * found from the name:
 * <ol>
 *   <li>{@code engine/model} whose prefix is a registered engine type (e.g. {@code ollama/llama3.2})
 *       picks that engine's default instance, {@code engine:instance/model} ({@code ollama:gpu2/llama3.2})
 *       one of its named instances ({@code <engine>.instances}; an unknown one is a 404 naming them);
 *       other slashes are part of the name ({@code Qwen/Qwen2-0.5B-Instruct});</li>
 *   <li>{@code default_model_name} (and the embedded embedding model) go to the embedded {@code llamacpp}
 *       engine, which serves them in-process;</li>
 *   <li>otherwise the first engine, in engine-type order, whose default instance lists the name (an
 *       Ollama {@code x} also matches {@code x:latest}); engines that cannot be reached are skipped, and
 *       named instances are never picked by a plain name: they list their models as
 *       {@code engine:instance/model};</li>
 *   <li>no engine lists it: 404 naming the fix.</li>
 * </ol>
 * A supervised run is addressed by its {@code run_id} too (checked first), and the listing shows
 * each live run under its run id as well as under its model name.
 * An absent {@code model} means the configured defaults, as on {@code /api/v1}. The listing follows
 * the same rule, so every id it shows routes to the engine named in its {@code owned_by}.
 */
@ApplicationScoped
public class ModelRouter {

    private static final Logger LOG = Logger.getLogger(ModelRouter.class);
    /** How long one engine may take to list its models before it is skipped. */
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How long a listing routes requests before the engines are asked again. Without it every
     * request naming a plain model would ask every engine for its list (an unconfigured Ollama
     * costing a refused connection each time). Only hits are served from it: a name it lacks
     * always triggers a fresh listing, so a newly pulled model is found at once.
     */
    public static final Duration ROUTE_CACHE_TTL = Duration.ofSeconds(2);
    /**
     * How long an expired listing may still answer a hit while a fresh one is being fetched.
     * Past {@link #ROUTE_CACHE_TTL} a hit is answered from the old listing at once and one
     * listing is started in the background, instead of every request that arrives while the
     * engines are asked waiting for (and, before, each starting) its own listing: at 2,000 req/s
     * that wait put every expiry into the p99 (docs/BENCHMARKS.md). Past this bound, the request
     * waits for the fresh listing.
     */
    static final Duration STALE_HIT_LIMIT = Duration.ofSeconds(30);

    /** {@code atNanos}: when the listing was started (not when it ended), so an answer is never older than it says. */
    private record Listing(Map<String, List<ModelInfo>> byEngine, long atNanos) {
    }

    private volatile Listing lastListing;
    private final SingleFlight<Listing> refreshing = new SingleFlight<>();

    @Inject
    EngineRegistry engines;
    @Inject
    InfercoreConfig config;
    @Inject
    Supervisor supervisor;

    /** A model as {@code /v1/models} shows it. */
    public record Listed(String id, String ownedBy) {
    }

    /**
     * The target of {@code model} for any request (chat, completion, embedding). Absent means the
     * defaults: {@code default_model_name} to generate, the embedded embedding model to embed.
     */
    public Uni<Target> target(String model) {
        if (model == null || model.isBlank()) {
            return Uni.createFrom().item(new Target(null, null, null));
        }
        List<Supervisor.RunRoute> runs = supervisor.routes(); // once per request: it refreshes every run's status
        for (Supervisor.RunRoute run : runs) {
            if (run.runId().equals(model)) {
                return Uni.createFrom().item(new Target(null, null, model));
            }
        }
        for (Supervisor.RunRoute run : runs) {
            if (isLive(run) && model.equals(run.modelName())) {
                return Uni.createFrom().item(new Target(run.engineType(), model, null));
            }
        }
        int slash = model.indexOf('/');
        if (slash > 0 && engines.isAddress(model.substring(0, slash))) {
            String address = model.substring(0, slash);
            String name = model.substring(slash + 1);
            try {
                engines.require(address); // an unknown instance: 404 naming the engine's instances
            } catch (InfercoreException e) {
                return Uni.createFrom().failure(new InfercoreException(e.kind(), e.getMessage(), "model", null));
            }
            return Uni.createFrom().item(new Target(address, name.isBlank() ? null : name, null));
        }
        if (model.equals(config.defaultModelName()) || model.equals(config.defaultEmbeddingModel())) {
            return Uni.createFrom().item(new Target(engines.inProcessType(config.defaultEngine()), model, null));
        }
        long arrived = System.nanoTime();
        Listing recent = lastListing;
        if (recent != null && arrived - recent.atNanos() < STALE_HIT_LIMIT.toNanos()) {
            Target hit = find(recent.byEngine(), model);
            if (hit != null) {
                if (arrived - recent.atNanos() >= ROUTE_CACHE_TTL.toNanos()) {
                    refresh().subscribe().with(fresh -> { }, failure -> { }); // for the next requests; this one does not wait
                }
                return Uni.createFrom().item(hit);
            }
        }
        // A name the listing lacks (or no recent listing): wait for one that started after this
        // request arrived, so a model pulled a moment ago is found; a listing already in flight
        // is joined, and only if it started earlier and lacks the name is another one asked for.
        return refresh().chain(listing -> {
            Target found = find(listing.byEngine(), model);
            return found != null || listing.atNanos() >= arrived ? Uni.createFrom().item(listing)
                    : refresh();
        }).map(listing -> {
            Target found = find(listing.byEngine(), model);
            if (found != null) {
                return found;
            }
            throw new InfercoreException(ErrorKind.MODEL_NOT_FOUND, "The model '" + model + "' does not exist: it is not '"
                    + config.defaultModelName() + "' and no reachable engine lists it. GET /v1/models shows what can be "
                    + "served; to address an engine directly, prefix its type, e.g. '" + exampleRemote() + "/" + model + "' (engines: "
                    + engines.types() + ")", "model", null);
        });
    }

    /** An engine to show in the prefix example: the first one behind a server, else any. */
    private String exampleRemote() {
        return engines.providers().stream().filter(p -> p.inProcess().isEmpty()).map(p -> p.type()).findFirst()
                .orElse(engines.types().stream().findFirst().orElse("engine"));
    }

    /** The first default instance listing {@code model}: a plain name never goes to a named instance. */
    private Target find(Map<String, List<ModelInfo>> byEngine, String model) {
        for (Map.Entry<String, List<ModelInfo>> e : byEngine.entrySet()) {
            if (isNamedInstance(e.getKey())) {
                continue;
            }
            var provider = engines.provider(e.getKey());
            if (e.getValue().stream().anyMatch(m -> provider.sameModel(m.name(), model))) {
                return new Target(e.getKey(), model, null);
            }
        }
        return null;
    }

    /** Everything servable, in routing order: the embedded defaults first, then each engine's models. */
    public Uni<List<Listed>> list() {
        return listings().map(byEngine -> {
            Map<String, Listed> byId = new LinkedHashMap<>();
            String inProcess = engines.inProcessType(config.defaultEngine());
            byId.put(config.defaultModelName(), new Listed(config.defaultModelName(), inProcess));
            EngineAdapter embedded = engines.all().stream().filter(a -> a.type().equals(inProcess))
                    .findFirst().orElse(null);
            if (embedded != null && embedded.supports(Capability.EMBEDDINGS)) {
                byId.putIfAbsent(config.defaultEmbeddingModel(),
                        new Listed(config.defaultEmbeddingModel(), inProcess));
            }
            for (Supervisor.RunRoute run : liveRuns()) {
                byId.putIfAbsent(run.runId(), new Listed(run.runId(), run.engineType()));
                byId.putIfAbsent(run.modelName(), new Listed(run.modelName(), run.engineType()));
            }
            byEngine.forEach((type, models) -> {
                for (ModelInfo m : models) {
                    if (isNamedInstance(type)) { // type is ollama:gpu2: its models are reached only by prefix
                        byId.putIfAbsent(type + "/" + m.name(), new Listed(type + "/" + m.name(), type));
                        continue;
                    }
                    Listed plain = byId.get(m.name());
                    if (plain == null) {
                        byId.put(m.name(), new Listed(m.name(), type));
                    } else if (!plain.ownedBy().equals(type)) {
                        // The plain name routes to an earlier engine; this one is reached by prefix.
                        byId.putIfAbsent(type + "/" + m.name(), new Listed(type + "/" + m.name(), type));
                    }
                }
            });
            return List.copyOf(byId.values());
        });
    }

    /**
     * A fresh listing, remembered for routing; at most one at a time: whoever asks while one is
     * in flight gets that one (its engines are asked once for all of them).
     */
    private Uni<Listing> refresh() {
        return refreshing.get(() -> {
            long started = System.nanoTime();
            return listings().map(byEngine -> new Listing(byEngine, started)).invoke(this::remember);
        });
    }

    private void remember(Listing fresh) {
        Listing last = lastListing;
        if (last == null || last.atNanos() <= fresh.atNanos()) {
            lastListing = fresh;
        }
    }

    /**
     * Every engine's model list, asked concurrently, in engine-type order. An engine that fails
     * or does not answer within {@link #LIST_TIMEOUT} contributes nothing: an Ollama that is not
     * running must not make the embedded models unreachable.
     */
    private Uni<Map<String, List<ModelInfo>>> listings() {
        List<EngineAdapter> adapters = new ArrayList<>(engines.instances());
        if (adapters.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<List<ModelInfo>>> calls = adapters.stream().map(ModelRouter::listQuietly).toList();
        return Uni.join().all(calls).andFailFast().map(lists -> {
            Map<String, List<ModelInfo>> byEngine = new LinkedHashMap<>();
            for (int i = 0; i < adapters.size(); i++) {
                byEngine.put(adapters.get(i).address(), lists.get(i));
            }
            return byEngine;
        });
    }

    private static Uni<List<ModelInfo>> listQuietly(EngineAdapter adapter) {
        return Uni.createFrom().deferred(adapter::listModels)
                .ifNoItem().after(LIST_TIMEOUT).fail()
                .onItem().ifNull().continueWith(List::of)
                .onFailure().recoverWithItem(t -> {
                    LOG.debugf("Engine '%s' did not list its models (%s); skipped", adapter.address(), t.getMessage());
                    return List.of();
                });
    }

    private static boolean isNamedInstance(String address) {
        return address.indexOf(':') >= 0;
    }

    private static boolean isLive(Supervisor.RunRoute run) {
        return run.status() != RunStatus.STOPPED && run.status() != RunStatus.FAILED;
    }

    private List<Supervisor.RunRoute> liveRuns() {
        return supervisor.routes().stream().filter(ModelRouter::isLive).toList();
    }

}
