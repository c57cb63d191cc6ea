package io.infercore.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JNI registrations the native executable needs for the embedded llama.cpp engine.
 * {@code libjllama.so} looks Java classes up by name ({@code FindClass}) in {@code JNI_OnLoad} and
 * in its calls; in a native executable only classes registered for JNI can be found, and one
 * missing class makes the library refuse to load. The names it looks up are string constants of
 * the library itself, so this test reads them out of the very {@code libjllama.so} the executable
 * carries and checks each one is in {@code jni-config.json}, with its members.
 */
class JniConfigTest {

    private static final String CONFIG = "META-INF/native-image/io.infercore/infercore/jni-config.json";
    private static final Pattern JNI_CLASS_NAME = Pattern.compile("(de/kherud/llama|java)(/[A-Za-z][A-Za-z0-9_$]*)+");

    @Test
    void should_register_every_class_libjllama_looks_up() throws IOException {
        Set<String> lookedUp = classNamesIn("de/kherud/llama/Linux/x86_64/libjllama.so");
        // The library's own classes and the JDK types it builds and reads (maps, iterators, boxes).
        assertThat(lookedUp).contains("de.kherud.llama.LlamaModel", "de.kherud.llama.LlamaOutput",
                "java.util.HashMap", "java.util.function.BiConsumer");

        Map<String, JsonNode> registered = registrations();
        assertThat(registered.keySet()).containsAll(lookedUp);
        for (String name : lookedUp) {
            JsonNode entry = registered.get(name);
            boolean own = name.startsWith("de.kherud.");
            // The library reads and writes private fields of its own classes (LlamaModel.ctx) and calls
            // package-private constructors (LlamaOutput); of the JDK it calls public members only.
            for (String member : own
                    ? new String[] {"allDeclaredFields", "allDeclaredMethods", "allDeclaredConstructors"}
                    : new String[] {"allPublicFields", "allPublicMethods", "allPublicConstructors"}) {
                assertThat(entry.path(member).asBoolean()).as(name + " " + member).isTrue();
            }
        }
    }

    @Test
    void should_name_only_classes_that_exist() throws IOException {
        for (String name : registrations().keySet()) {
            assertThat(NativeMetadata.load(name)).as(name).isNotNull();
        }
    }

    private static Map<String, JsonNode> registrations() throws IOException {
        Map<String, JsonNode> byName = new TreeMap<>();
        try (InputStream in = resource(CONFIG)) {
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                byName.put(entry.path("name").asText(), entry);
            }
        }
        return byName;
    }

    /** The NUL-terminated string constants of a shared library that are JNI class names, as Java names. */
    static Set<String> classNamesIn(String library) throws IOException {
        byte[] bytes;
        try (InputStream in = resource(library)) {
            bytes = in.readAllBytes();
        }
        Set<String> names = new TreeSet<>();
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b >= 0x21 && b < 0x7f) {
                run.write(b);
                continue;
            }
            if (b == 0) {
                String s = run.toString(StandardCharsets.US_ASCII);
                if (JNI_CLASS_NAME.matcher(s).matches()) {
                    names.add(s.replace('/', '.'));
                }
            }
            run.reset();
        }
        return names;
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = JniConfigTest.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("not on the class path: " + path);
        }
        return in;
    }
}
