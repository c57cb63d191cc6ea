package io.infercore.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Custom models added through {@code POST /api/v1/models/registrations}, kept in
 * {@code <models_dir>/registrations.json}: the entries as the user sent them (after validation),
 * so the file reads like a {@code models.json}. Every change rewrites the file through a temporary
 * file and an atomic rename, so a crash leaves the old or the new list, never half of one.
 * Thread-safe: changes are serialised on this object.
 */
public final class ModelRegistrations {

    static final String FILE = "registrations.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Predicate<String> builtin;
    private final List<CatalogEngine> engines;
    private final Map<String, JsonNode> raw = new LinkedHashMap<>();
    private volatile List<CatalogModel> models = List.of();

    /**
     * @param dir     the models directory ({@code models_dir})
     * @param builtin true for ids of the built-in catalog, which a registration may not take
     * @param engines the engines a registration may run on
     */
    public ModelRegistrations(Path dir, Predicate<String> builtin, java.util.Collection<? extends CatalogEngine> engines) {
        this.engines = List.copyOf(engines);
        this.file = dir.resolve(FILE);
        this.builtin = builtin;
        load();
    }

    public Path file() {
        return file;
    }

    private synchronized void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot be read: " + e.getMessage());
        }
        List<CatalogModel> loaded = CatalogReader.readRegistrations(file.toString(), json, engines);
        JsonNode array;
        try {
            array = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < loaded.size(); i++) {
            CatalogModel model = loaded.get(i);
            if (builtin.test(model.id())) {
                throw new CatalogException(file + ": $[" + i + "].id: '" + model.id()
                        + "' is a built-in catalog model; remove or rename this registration");
            }
            if (raw.putIfAbsent(key(model.id()), array.get(i)) != null) {
                throw new CatalogException(file + ": $[" + i + "].id: duplicate id '" + model.id() + "'");
            }
        }
        models = List.copyOf(loaded);
    }

    public List<CatalogModel> all() {
        return models;
    }

    public Optional<CatalogModel> find(String id) {
        return models.stream().filter(m -> m.id().equalsIgnoreCase(id)).findFirst();
    }

    /** Validates and stores {@code entry}; 400 for a bad entry, 409 for an id already taken. */
    public synchronized CatalogModel add(JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            throw InfercoreException.invalid(null, "request body is required: a catalog entry (JSON object) with id "
                    + "and sizes; see models.example.json");
        }
        CatalogModel model;
        try {
            model = CatalogReader.readRegistration("registration", entry, engines);
        } catch (CatalogException e) {
            throw InfercoreException.invalid(null, e.getMessage());
        }
        if (builtin.test(model.id())) {
            throw new InfercoreException(ErrorKind.CONFLICT, "'" + model.id() + "' is a built-in catalog model and "
                    + "cannot be overwritten; register the model under another id", "id", null);
        }
        if (raw.containsKey(key(model.id()))) {
            throw new InfercoreException(ErrorKind.CONFLICT, "a custom model '" + model.id() + "' is already "
                    + "registered; DELETE /api/v1/models/registrations/" + model.id() + " first", "id", null);
        }
        checkLocalPaths(model);
        Map<String, JsonNode> next = new LinkedHashMap<>(raw);
        next.put(key(model.id()), entry);
        write(next);
        raw.put(key(model.id()), entry);
        List<CatalogModel> list = new ArrayList<>(models);
        list.add(model);
        models = List.copyOf(list);
        return model;
    }

    /** Removes a registration; 404 when there is none, 409 for a built-in id. */
    public synchronized CatalogModel remove(String id) {
        CatalogModel model = find(id).orElse(null);
        if (model == null) {
            if (builtin.test(id)) {
                throw new InfercoreException(ErrorKind.CONFLICT, "'" + id + "' is a built-in catalog model (models.json); "
                        + "only custom registrations can be deleted", "id", null);
            }
            throw new InfercoreException(ErrorKind.NOT_FOUND, "no custom model '" + id + "' is registered; "
                    + "GET /api/v1/models/registrations lists them");
        }
        Map<String, JsonNode> next = new LinkedHashMap<>(raw);
        next.remove(key(model.id()));
        write(next);
        raw.remove(key(model.id()));
        models = models.stream().filter(m -> !m.id().equalsIgnoreCase(model.id())).toList();
        return model;
    }

    /** A local source must exist now: a directory for vLLM/SGLang, a regular .gguf file for llama.cpp. */
    private static void checkLocalPaths(CatalogModel model) {
        for (int j = 0; j < model.sizes().size(); j++) {
            ModelSize size = model.sizes().get(j);
            if (size.localPath() == null) {
                continue;
            }
            Path path = Path.of(size.localPath()).normalize();
            boolean ok = size.localGguf() ? Files.isRegularFile(path) : Files.isDirectory(path);
            if (!ok) {
                throw InfercoreException.invalid("local_path", "$.sizes[" + j + "].local_path: " + path + " is not "
                        + (size.localGguf() ? "a readable .gguf file" : "a model directory") + " on this machine");
            }
        }
    }

    private void write(Map<String, JsonNode> entries) {
        ArrayNode array = JSON.createArrayNode();
        entries.values().forEach(array::add);
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new InfercoreException(ErrorKind.INTERNAL, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
