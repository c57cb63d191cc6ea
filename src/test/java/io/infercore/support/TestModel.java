package io.infercore.support;

import java.nio.file.Path;

/**
 * The test fixture model: stories260K (1.2 MB, MIT), committed in the repository under
 * {@code src/test/resources/models/} with its provenance beside it, so a fresh clone tests with
 * nothing next to it. {@code pom.xml} passes the absolute path as {@code test-model.path}; the
 * fallback is the same file relative to the module directory (for a test started from an IDE).
 */
public final class TestModel {

    /** The fixture relative to the module directory. */
    public static final String RELATIVE = "src/test/resources/models/stories260K.gguf";

    private TestModel() {
    }

    /** Absolute path of the stories260K GGUF used by the tests. */
    public static Path path() {
        return Path.of(System.getProperty("test-model.path", RELATIVE)).toAbsolutePath();
    }

    /** {@link #path()} as a string, for configuration maps and command lines. */
    public static String pathString() {
        return path().toString();
    }
}
