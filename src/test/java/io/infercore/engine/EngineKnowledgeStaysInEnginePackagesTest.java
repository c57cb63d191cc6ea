package io.infercore.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps "adding an engine is one package" true: outside {@code io/infercore/engine/<name>/}, no
 * source file of {@code src/main/java} holds an engine's name as a string literal, or refers to a
 * class of a concrete engine package ({@code io.infercore.engine.<name>.X}, imported or
 * qualified). Comments do not count (they may name engines as examples); code does. Such
 * knowledge belongs in the engine's {@link EngineProvider} or launcher, asked through the SPI.
 *
 * <p>{@link #ALLOWED} lists the files that still hold engine knowledge, each with its reason;
 * an entry that no longer finds anything fails too, so the list only shrinks.
 */
class EngineKnowledgeStaysInEnginePackagesTest {

    private static final Path ROOT = Path.of("src/main/java/io/infercore");
    /** Engine names as they appear in literals, besides the engine packages' own names. */
    private static final Set<String> ALIASES = Set.of("llama.cpp", "embedded");
    /**
     * Packages under {@code engine/} that are not engines: one named after a protocol (the name is
     * the API's too, {@code /v1} is OpenAI's) and the shared upstream transport.
     */
    private static final Set<String> PROTOCOLS = Set.of("openai", "http");
    /** The shared upstream transport's package. */
    private static final String TRANSPORT = "http";

    /** File (relative to io/infercore) → why it may still name engines. */
    static final Map<String, String> ALLOWED = Map.of(
            "config/InfercoreConfig.java", "configuration defaults: default_engine's default value and the name of the "
                    + "models sub-directory exported to Ollama children (@WithDefault must be a literal)",
            "supervisor/EngineCommands.java", "command lines of spawned vLLM / SGLang servers, rebuilt from persisted "
                    + "plans and shared by ProcessDriver and KubernetesDriver; next: a server facet of EngineLauncher",
            "supervisor/KubernetesDriver.java", "container image per engine (kubernetes.*_image); the Kubernetes backend "
                    + "keeps its engine table until its workload specs move behind the launcher SPI",
            "supervisor/KubernetesSpecs.java", "the Pod spec per engine (vLLM/SGLang command or `ollama serve`, probe "
                    + "routes); next: a workload facet of EngineLauncher",
            "supervisor/KubernetesReplicas.java", "an Ollama Pod gets its model pulled and loaded once Ready; next: the "
                    + "same workload facet",
            "supervisor/kubernetes/KubernetesSettings.java", "configuration defaults: the pinned Ollama image "
                    + "(@WithDefault must be a literal)",
            "supervisor/Supervisor.java", "builds the OLLAMA and EMBEDDED run drivers, which take the concrete engines",
            "supervisor/OllamaDriver.java", "the OLLAMA run mode's driver (pull, load, unload through Ollama's API) "
                    + "still lives in supervisor/; next: move it behind the launcher SPI into engine/ollama",
            "supervisor/EmbeddedDriver.java", "the EMBEDDED run mode's driver (download, load in-process) still lives "
                    + "in supervisor/; next: move it behind the launcher SPI into engine/llamacpp");

    @Test
    void should_find_no_engine_name_or_engine_class_outside_the_engine_packages() throws IOException {
        Set<String> enginePackages = enginePackages();
        Set<String> names = new TreeSet<>(ALIASES);
        names.addAll(enginePackages);
        names.removeAll(PROTOCOLS);
        // the transport is for every layer that talks to engines; the engine packages are not
        Set<String> concrete = new TreeSet<>(enginePackages);
        concrete.remove(TRANSPORT);
        Pattern reference = Pattern.compile("\\bio\\.infercore\\.engine\\.(" + String.join("|", concrete) + ")\\.");

        Map<String, List<String>> findings = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String relative = ROOT.relativize(file).toString().replace('\\', '/');
                if (insideEnginePackage(relative, enginePackages)) {
                    continue;
                }
                Source source = Source.of(Files.readString(file));
                List<String> found = new ArrayList<>();
                for (String literal : source.literals()) {
                    if (names.contains(literal.toLowerCase(Locale.ROOT))) {
                        found.add("literal \"" + literal + "\"");
                    }
                }
                Matcher m = reference.matcher(source.code());
                while (m.find()) {
                    found.add("reference to " + m.group() + "*");
                }
                if (!found.isEmpty()) {
                    findings.put(relative, found);
                }
            }
        }

        Map<String, List<String>> unexpected = findings.entrySet().stream().filter(e -> !ALLOWED.containsKey(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertThat(unexpected).as("engine knowledge outside engine/<name>/: move it into the engine's provider or "
                + "launcher (or, if truly unavoidable, allow-list the file with a reason)").isEmpty();
        assertThat(ALLOWED.keySet()).as("allow-listed files that no longer name an engine: drop them from ALLOWED")
                .allMatch(findings::containsKey);
    }

    @Test
    void should_catch_a_literal_and_a_qualified_reference_but_not_a_comment() {
        Source source = Source.of("""
                // "ollama" in a comment
                /* io.infercore.engine.vllm.VllmEngine */
                class X { String e = "vllm"; Object o = io.infercore.engine.sglang.SglangEngine.TYPE; char c = '"'; }
                """);
        assertThat(source.literals()).containsExactly("vllm");
        assertThat(source.code()).contains("io.infercore.engine.sglang.SglangEngine").doesNotContain("VllmEngine")
                .doesNotContain("ollama");
    }

    /** The concrete engine packages: every directory under engine/. */
    private static Set<String> enginePackages() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("engine"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean insideEnginePackage(String relative, Set<String> enginePackages) {
        return enginePackages.stream().anyMatch(p -> relative.startsWith("engine/" + p + "/"));
    }

    /** A Java source split into its string literals and its code with comments and literals blanked out. */
    record Source(List<String> literals, String code) {

        static Source of(String text) {
            List<String> literals = new ArrayList<>();
            StringBuilder code = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (text.startsWith("//", i)) {
                    int end = text.indexOf('\n', i);
                    i = end < 0 ? text.length() : end;
                } else if (text.startsWith("/*", i)) {
                    int end = text.indexOf("*/", i + 2);
                    i = end < 0 ? text.length() : end + 2;
                    code.append(' ');
                } else if (text.startsWith("\"\"\"", i)) {
                    int end = text.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? text.length() : end;
                    literals.add(text.substring(i + 3, end).strip());
                    code.append("\"\"");
                    i = Math.min(text.length(), end + 3);
                } else if (c == '"' || c == '\'') {
                    StringBuilder literal = new StringBuilder();
                    int j = i + 1;
                    while (j < text.length() && text.charAt(j) != c) {
                        if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                            literal.append(text.charAt(j + 1));
                            j += 2;
                        } else {
                            literal.append(text.charAt(j++));
                        }
                    }
                    if (c == '"') {
                        literals.add(literal.toString());
                    }
                    code.append("\"\"");
                    i = j + 1;
                } else {
                    code.append(c);
                    i++;
                }
            }
            return new Source(literals, code.toString());
        }
    }
}
