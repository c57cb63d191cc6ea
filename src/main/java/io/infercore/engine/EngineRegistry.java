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

/** Every {@link EngineAdapter} bean, by {@code engine_type}: the seed's {@code ENGINE_MAP}, filled by CDI. */
@ApplicationScoped
public class EngineRegistry {

    private final Map<String, EngineAdapter> adapters = new TreeMap<>();

    @Inject
    public EngineRegistry(@Any Instance<EngineAdapter> discovered) {
        for (EngineAdapter adapter : discovered) {
            EngineAdapter previous = adapters.put(adapter.type(), adapter);
            if (previous != null) {
                throw new IllegalStateException("Two engine adapters claim engine_type '" + adapter.type() + "': "
                        + previous.getClass().getName() + " and " + adapter.getClass().getName());
            }
        }
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
