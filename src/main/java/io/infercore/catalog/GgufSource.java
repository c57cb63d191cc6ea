package io.infercore.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the embedded engine gets a model's GGUF file: {@code file} in the Hugging Face repo
 * {@code repo}, or (custom registrations) the plain {@code url}; checked against {@code sha256}
 * (lower-case hex) when one is given. A URL source always has a sha256.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GgufSource(String repo, String file, String sha256, String url) {

    public GgufSource(String repo, String file, String sha256) {
        this(repo, file, sha256, null);
    }

    /** The name the file is stored under in {@code <models_dir>/gguf} (a repo sub-folder is dropped). */
    public String fileName() {
        return file.substring(file.lastIndexOf('/') + 1);
    }
}
