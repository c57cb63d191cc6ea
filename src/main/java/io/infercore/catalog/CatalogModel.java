package io.infercore.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code models.json}: the seed's fields plus {@code model_type} ({@code llm} or
 * {@code embedding}). Lists are never null; {@code quantizations} defaults to {@code ["none"]}.
 */
public record CatalogModel(String id, String name, String description, String officialUrl, String modelType,
                           List<ModelSize> sizes, List<String> quantizations, List<String> engines,
                           List<String> formats) {

    public static final String LLM = "llm";
    public static final String EMBEDDING = "embedding";

    /** The size named {@code size} (case-insensitive). */
    public Optional<ModelSize> size(String size) {
        return sizes.stream().filter(s -> s.size().equalsIgnoreCase(size)).findFirst();
    }

    public List<String> sizeNames() {
        return sizes.stream().map(ModelSize::size).toList();
    }

    public boolean isEmbedding() {
        return EMBEDDING.equals(modelType);
    }
}
