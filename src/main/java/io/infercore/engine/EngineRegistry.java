package io.infercore.engine;

import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
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
    /** The adapters of named instances ({@code <engine>.instances}) by address, {@code type:instance}. */
    private final Map<String, EngineAdapter> named = new TreeMap<>();
    /** What an instance name may be: it is written in model names as {@code type:instance/model}. */
    private static final java.util.regex.Pattern INSTANCE_NAME = java.util.regex.Pattern.compile("[a-z0-9-]+");

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
        for (EngineAdapter adapter : adapters.values()) {
            adapter.namedInstances().forEach((name, instance) -> {
                if (!INSTANCE_NAME.matcher(name).matches()) {
                    throw new IllegalStateException(adapter.type() + ".instances: '" + name + "' is not a valid instance "
                            + "name; use lower-case letters, digits and '-'");
                }
                named.put(adapter.type() + ':' + name, instance);
            });
        }
    }

    /**
     * What {@code type} is and needs; a plain remote engine's defaults for a type nobody describes.
     * An instance address ({@code ollama:gpu2}) has its engine's provider.
     */
    public EngineProvider provider(String type) {
        EngineProvider provider = providers.get(engineOf(type));
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

    /**
     * The adapter for an address: an engine type ({@code ollama}, its default instance) or
     * {@code type:instance} ({@code ollama:gpu2}). An unknown type is a 400 naming the engine types;
     * an unknown instance of a known type a 404 naming that engine's instances.
     */
    public EngineAdapter require(String address) {
        String type = engineOf(address);
        EngineAdapter adapter = adapters.get(type);
        if (adapter == null) {
            throw InfercoreException.invalid("engine_type",
                    "Unknown engine_type '" + type + "'; expected one of " + adapters.keySet());
        }
        if (type.equals(address)) {
            return adapter;
        }
        EngineAdapter instance = named.get(address);
        if (instance == null) {
            List<String> known = instancesOf(type);
            throw new InfercoreException(ErrorKind.NOT_FOUND, "Engine '" + type + "' has no instance '"
                    + address.substring(type.length() + 1) + "'; its instances: " + known + " (configure more under "
                    + type + ".instances in config.json)", null, null);
        }
        return instance;
    }

    /** Whether {@code address} names a registered engine type, or an instance of one (known or not: {@link #require} tells). */
    public boolean isAddress(String address) {
        return adapters.containsKey(engineOf(address)) && (address.indexOf(':') < 0
                || INSTANCE_NAME.matcher(address.substring(address.indexOf(':') + 1)).matches());
    }

    /** The addresses of {@code type}'s instances: the type itself (its default), then {@code type:name} for each named one. */
    public List<String> instancesOf(String type) {
        List<String> all = new ArrayList<>();
        all.add(type);
        named.keySet().stream().filter(a -> engineOf(a).equals(type)).forEach(all::add);
        return all;
    }

    /** The engine type of an address: {@code ollama} of {@code ollama:gpu2}. */
    public static String engineOf(String address) {
        int colon = address.indexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }

    /** One adapter per engine type: the default instances. */
    public Collection<EngineAdapter> all() {
        return Collections.unmodifiableCollection(adapters.values());
    }

    /**
     * Every adapter requests can reach: per engine type its default instance, then its named
     * instances by name (listing, health and {@code check} cover each).
     */
    public List<EngineAdapter> instances() {
        List<EngineAdapter> all = new ArrayList<>();
        for (String type : adapters.keySet()) {
            for (String address : instancesOf(type)) {
                all.add(address.equals(type) ? adapters.get(type) : named.get(address));
            }
        }
        return all;
    }

    public java.util.Set<String> types() {
        return Collections.unmodifiableSet(adapters.keySet());
    }
}
