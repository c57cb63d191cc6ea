package io.infercore.catalog;

/**
 * Where the embedded engine gets a model's GGUF file: {@code file} in the Hugging Face repo
 * {@code repo}, checked against {@code sha256} (lower-case hex) when the catalog gives one.
 */
public record GgufSource(String repo, String file, String sha256) {

    /** The name the file is stored under in {@code <models_dir>/gguf} (a repo sub-folder is dropped). */
    public String fileName() {
        return file.substring(file.lastIndexOf('/') + 1);
    }
}
