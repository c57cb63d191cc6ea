package io.infercore.nativeimage;

import io.infercore.api.EmbedData;
import io.infercore.api.Envelope;
import io.infercore.api.ExceptionMappers;
import io.infercore.api.ReplyData;
import io.infercore.api.UsageData;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reflection registrations name classes that exist: a renamed or moved DTO must be renamed
 * here too, or the native executable would fail to (de)serialise it at run time only.
 */
class NativeReflectionTest {

    @Test
    void should_name_only_classes_that_exist() {
        RegisterForReflection registration = NativeReflection.class.getAnnotation(RegisterForReflection.class);
        assertThat(registration.classNames()).isNotEmpty();
        for (String name : registration.classNames()) {
            assertThat(NativeMetadata.load(name)).as(name + " (named in NativeReflection) must exist").isNotNull();
        }
    }

    @Test
    void should_annotate_the_api_types_that_replies_writes_as_strings() {
        for (Class<?> dto : List.of(Envelope.class, ReplyData.class, UsageData.class, EmbedData.class,
                ExceptionMappers.OpenAiError.class)) {
            assertThat(dto.getAnnotation(RegisterForReflection.class)).as(dto.getName()).isNotNull();
        }
    }

    /**
     * LangChain4j's Ollama client (de)serialises its wire classes with its own ObjectMapper, and its
     * jar carries no native-image metadata: every class of it that Jackson annotations describe, and
     * every serializer those annotations name, must be registered, or a native executable sends
     * Ollama an empty object.
     */
    @Test
    void should_name_every_jackson_type_of_langchain4j_ollama() throws IOException, URISyntaxException {
        Set<String> named = Set.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).classNames());
        Set<String> needed = new TreeSet<>();
        Path jar = Path.of(dev.langchain4j.model.ollama.OllamaStreamingChatModel.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (entry.startsWith("dev/langchain4j/model/ollama/") && entry.endsWith(".class") && !entry.contains("$")
                        && !entry.contains("/spi/")) {
                    Class<?> type = NativeMetadata.load(entry.substring(0, entry.length() - 6).replace('/', '.'));
                    List<Annotation> jackson = jacksonAnnotations(type);
                    if (!jackson.isEmpty()) {
                        needed.add(type.getName());
                    }
                    for (Annotation a : jackson) {
                        needed.addAll(namedSerializers(a));
                    }
                }
            }
        }
        assertThat(needed).as("Jackson-described classes of langchain4j-ollama").hasSizeGreaterThan(10);
        assertThat(named).containsAll(needed);
    }

    private static List<Annotation> jacksonAnnotations(Class<?> type) {
        List<AnnotatedElement> elements = new ArrayList<>(List.of(type));
        elements.addAll(Arrays.asList(type.getDeclaredFields()));
        elements.addAll(Arrays.asList(type.getDeclaredMethods()));
        return elements.stream().flatMap(el -> Stream.of(el.getDeclaredAnnotations()))
                .filter(a -> a.annotationType().getName().startsWith("com.fasterxml.jackson.")).toList();
    }

    /** The serializer and deserializer classes of a JsonSerialize or JsonDeserialize, other than Jackson's own. */
    private static List<String> namedSerializers(Annotation annotation) {
        return NativeMetadata.namedClasses(annotation, List.of("using", "contentUsing", "keyUsing")).stream()
                .map(Class::getName).filter(name -> !name.startsWith("com.fasterxml.jackson.")).toList();
    }
}
