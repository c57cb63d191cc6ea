package io.infercore.engine;

import io.infercore.error.InfercoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every {@link EngineAdapter} bean and every {@link EngineProvider} bean, by {@code engine_type}:
 * the seed's {@code ENGINE_MAP}, filled by CDI. An adapter without a provider gets the defaults of
 * {@link EngineProvider} (a plain remote engine).
 */
@ApplicationScoped
public class EngineRegistry {

    private final Map<String, EngineAdapter> adapters = new TreeMap<>();
    private final Map<String, EngineProvider> providers = new TreeMap<>();

    @Inject
    public EngineRegistry(@Any Instance<EngineAdapter> discovered, @Any Instance<EngineProvider> described) {
        this((Iterable<EngineAdapter>) discovered, described);
    }

    /** Adapters alone, each with the default provider (tests that wire engines by hand). */
    public EngineRegistry(Iterable<EngineAdapter> discovered) {
        this(discovered, java.util.List.of());
    }

    public EngineRegistry(Iterable<EngineAdapter> discovered, Iterable<EngineProvider> described) {
        for (EngineAdapter adapter : discovered) {
            EngineAdapter previous = adapters.put(adapter.type(), adapter);
            if (previous != null) {
                throw new IllegalStateException("Two engine adapters claim engine_type '" + adapter.type() + "': "
                        + previous.getClass().getName() + " and " + adapter.getClass().getName());
            }
        }
        for (EngineProvider provider : described) {
            EngineProvider previous = providers.put(provider.type(), provider);
            if (previous != null) {
                throw new IllegalStateException("Two engine providers claim engine_type '" + provider.type() + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
            if (!adapters.containsKey(provider.type())) {
                throw new IllegalStateException("Engine provider " + provider.getClass().getName() + " describes engine_type '"
                        + provider.type() + "', which has no adapter");
            }
        }
        for (String type : adapters.keySet()) {
            providers.computeIfAbsent(type, t -> () -> t);
        }
    }

    /** What {@code type} is and needs; a plain remote engine's defaults for a type nobody describes. */
    public EngineProvider provider(String type) {
        EngineProvider provider = providers.get(type);
        return provider != null ? provider : () -> type;
    }

    public Collection<EngineProvider> providers() {
        return Collections.unmodifiableCollection(providers.values());
    }

    /** The in-process engine that serves the default model and the built-in embedding model, if there is one. */
    public java.util.Optional<EngineProvider> inProcess() {
        return providers.values().stream().filter(p -> p.inProcess().isPresent()).findFirst();
    }

    /**
     * The engine type of the in-process engine; when none is deployed (a native build), the
     * configured default engine {@code fallback}, which then serves the default model name.
     */
    public String inProcessType(String fallback) {
        return inProcess().map(EngineProvider::type).orElse(fallback);
    }

    /** The adapter for {@code type}, or a 400 naming the engine types that exist. */
    public EngineAdapter require(String type) {
        EngineAdapter adapter = adapters.get(type);
        if (adapter == null) {
            throw InfercoreException.invalid("engine_type",
                    "Unknown engine_type '" + type + "'; expected one of " + adapters.keySet());
        }
        return adapter;
    }

    public Collection<EngineAdapter> all() {
        return Collections.unmodifiableCollection(adapters.values());
    }

    public java.util.Set<String> types() {
        return Collections.unmodifiableSet(adapters.keySet());
    }
}
