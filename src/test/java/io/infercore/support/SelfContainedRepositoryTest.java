package io.infercore.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The repository is self-contained: its test model is the committed fixture, and no text file it
 * builds, tests, benchmarks or documents with points at a directory beside the clone.
 */
class SelfContainedRepositoryTest {

    /** Written in two parts so this file does not match itself. */
    private static final List<String> OUTSIDE = List.of(".." + "/shared", "/work" + "/shared");

    @Test
    void theTestModelIsTheCommittedFixtureWithItsKnownDigest() throws Exception {
        Path model = TestModel.path();
        assertThat(model).startsWith(Path.of("").toAbsolutePath());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model));
        assertThat(HexFormat.of().formatHex(digest))
                .isEqualTo("270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d");
        assertThat(model.resolveSibling("README.md")).exists();
        assertThat(model.resolveSibling("LICENSE-stories260K")).exists();
    }

    @Test
    void noTextFileReadsAPathOutsideTheClone() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String top : List.of("src", "bench", "scripts", "docs", "deploy", "config", "frontend", "examples",
                ".ci", "pom.xml", "README.md", "native-build.sh", "models.json", "models.example.json")) {
            Path root = Path.of(top);
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().contains("node_modules") && !p.toString().endsWith(".gguf"))
                        // the one place that knows where the (uncommitted) fixture model comes from
                        .filter(p -> !p.endsWith(Path.of("scripts", "test-model.sh")))
                        .forEach(p -> {
                            String text = read(p);
                            OUTSIDE.stream().filter(text::contains).forEach(o -> offenders.add(p + " mentions " + o));
                        });
            }
        }
        assertThat(offenders).isEmpty();
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(p.toString(), e);
        }
    }
}
