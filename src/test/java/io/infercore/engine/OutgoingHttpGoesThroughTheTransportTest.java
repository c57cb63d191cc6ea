package io.infercore.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps "one transport" true (docs/TRANSPORT.md): outside {@code io/infercore/engine/http/}, no
 * source file of {@code src/main/java} uses another HTTP client: the JDK's
 * {@code java.net.http} (imported or qualified), {@code HttpURLConnection} (or its HTTPS
 * subclass), {@code URL.openConnection()} / {@code URL.openStream()}, or a Vert.x HTTP client of
 * its own ({@code createHttpClient}). Such calls go through {@code engine/http/EngineHttp}.
 * Comments and string literals do not count; code does.
 */
class OutgoingHttpGoesThroughTheTransportTest {

    private static final Path ROOT = Path.of("src/main/java/io/infercore");
    private static final String TRANSPORT = "engine/http/";
    /** What a use of another HTTP stack looks like in code. */
    private static final Pattern OTHER_CLIENT = Pattern.compile(
            "\\bjava\\s*\\.\\s*net\\s*\\.\\s*http\\s*\\.|\\bHttps?URLConnection\\b|\\.\\s*open(Connection|Stream)\\s*\\("
                    + "|\\bcreateHttpClient\\s*\\(");

    @Test
    void should_find_no_http_client_but_the_transport_in_the_main_sources() throws IOException {
        Map<String, List<String>> findings = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String relative = ROOT.relativize(file).toString().replace('\\', '/');
                if (relative.startsWith(TRANSPORT)) {
                    continue;
                }
                List<String> found = uses(Files.readString(file));
                if (!found.isEmpty()) {
                    findings.put(relative, found);
                }
            }
        }

        assertThat(findings).as("HTTP calls outside engine/http/: make them through EngineHttp (EngineHttp.plain for "
                + "servers that are not engines, EngineHttp.await on worker threads, openGet for downloads)").isEmpty();
    }

    @Test
    void should_catch_an_import_a_qualified_use_and_a_url_connection_but_not_a_comment_or_a_literal() {
        assertThat(uses("import java.net.http.HttpClient;\nclass A {}")).containsExactly("java.net.http.");
        assertThat(uses("class A { Object c = java.net.http.HttpClient.newHttpClient(); }")).containsExactly("java.net.http.");
        assertThat(uses("class A { void f(java.net.URL u) throws Exception { u.openConnection(); } }"))
                .containsExactly(".openConnection(");
        assertThat(uses("class A { void f(java.net.URL u) throws Exception { u.openStream(); } }"))
                .containsExactly(".openStream(");
        assertThat(uses("import java.net.HttpURLConnection;\nclass A {}")).containsExactly("HttpURLConnection");
        assertThat(uses("class A { Object c = vertx.createHttpClient(); }")).containsExactly("createHttpClient(");
        assertThat(uses("""
                // java.net.http.HttpClient was used here; HttpURLConnection too
                /** {@code URL.openConnection()} */
                class A { String s = "java.net.http.HttpClient"; Object o = java.net.URI.create("x"); }
                """)).isEmpty();
    }

    /** The uses of another HTTP client in a source's code, each as matched with blanks removed. */
    private static List<String> uses(String text) {
        String code = EngineKnowledgeStaysInEnginePackagesTest.Source.of(text).code();
        List<String> found = new ArrayList<>();
        Matcher m = OTHER_CLIENT.matcher(code);
        while (m.find()) {
            found.add(m.group().replaceAll("\\s+", ""));
        }
        return found;
    }
}
