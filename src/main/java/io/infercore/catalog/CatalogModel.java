package io.infercore.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@code models.json} (or a custom registration): the seed's fields plus
 * {@code model_type} ({@code llm}, {@code embedding} or {@code rerank}), {@code abilities}, the
 * context length, licence and gated flag, the vLLM/SGLang parsers the model needs and, optionally,
 * the quantizations and formats per engine. Lists and maps are never null; {@code quantizations}
 * defaults to {@code ["none"]}; {@code abilities} defaults from {@code model_type}.
 *
 * @param contextLength the context window in tokens as its model card states it (null: not stated)
 * @param parsers       per engine ({@code vllm}, {@code sglang}): the tool-call and reasoning parsers
 * @param perEngine     per engine: the quantizations and formats it offers (absent: the model-wide lists)
 * @param registered    true for a custom registration ({@code POST /api/v1/models/registrations})
 * @param abilitiesDeclared true when the entry lists its abilities; only then are requests held to them
 *                      (an entry without the field gets defaults for display, and no 400s)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogModel(String id, String name, String description, String officialUrl, String modelType,
                           List<ModelSize> sizes, List<String> quantizations, List<String> engines,
                           List<String> formats, List<String> abilities, Integer contextLength, String license,
                           boolean gated, Map<String, Parsers> parsers, Map<String, EngineOptions> perEngine,
                           boolean registered, @JsonIgnore boolean abilitiesDeclared) {

    public static final String LLM = "llm";
    public static final String EMBEDDING = "embedding";
    public static final String RERANK = "rerank";
    public static final Set<String> MODEL_TYPES = Set.of(LLM, EMBEDDING, RERANK);

    /** What a model can be asked to do. */
    public static final Set<String> ABILITIES = Set.of("chat", "generate", "tools", "vision", "reasoning",
            "embedding", "rerank");

    /** The tool-call and reasoning parsers an engine needs for this model (either may be null). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parsers(String toolCall, String reasoning) {
    }

    /** What one engine offers for this model. */
    public record EngineOptions(List<String> quantizations, List<String> formats) {
    }

    /** The size named {@code size} (case-insensitive). */
    public Optional<ModelSize> size(String size) {
        return sizes.stream().filter(s -> s.size().equalsIgnoreCase(size)).findFirst();
    }

    @JsonIgnore
    public List<String> sizeNames() {
        return sizes.stream().map(ModelSize::size).toList();
    }

    @JsonIgnore
    public boolean isEmbedding() {
        return EMBEDDING.equals(modelType);
    }

    public boolean can(String ability) {
        return abilities.contains(ability);
    }

    /** The abilities requests are held to: the declared list, or null when the entry declares none. */
    public List<String> enforcedAbilities() {
        return abilitiesDeclared ? abilities : null;
    }

    /** The quantizations {@code engine} offers: its own list when given, else the model-wide one. */
    public List<String> quantizationsOn(String engine) {
        EngineOptions own = perEngine.get(engine);
        return own == null || own.quantizations().isEmpty() ? quantizations : own.quantizations();
    }

    /** The formats {@code engine} loads: its own list when given, else the model-wide one. */
    public List<String> formatsOn(String engine) {
        EngineOptions own = perEngine.get(engine);
        return own == null || own.formats().isEmpty() ? formats : own.formats();
    }

    /** The context length of {@code size}: its own, else the model's (null when neither is stated). */
    public Integer contextLength(ModelSize size) {
        return size.contextLength() != null ? size.contextLength() : contextLength;
    }

    /** True when {@code query} occurs (case-insensitive) in the id, name, description, licence or a source name. */
    public boolean matches(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        if (contains(id, q) || contains(name, q) || contains(description, q) || contains(license, q)) {
            return true;
        }
        return sizes.stream().anyMatch(s -> contains(s.size(), q) || contains(s.hfRepo(), q)
                || contains(s.ollamaName(), q) || (s.gguf() != null && contains(s.gguf().repo(), q)));
    }

    private static boolean contains(String value, String q) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(q);
    }

    /** The same entry marked as a custom registration. */
    public CatalogModel asRegistered() {
        return new CatalogModel(id, name, description, officialUrl, modelType, sizes, quantizations, engines, formats,
                abilities, contextLength, license, gated, parsers, perEngine, true, abilitiesDeclared);
    }
}
