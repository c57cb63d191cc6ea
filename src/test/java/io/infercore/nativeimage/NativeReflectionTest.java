package io.infercore.nativeimage;

import io.infercore.api.EmbedData;
import io.infercore.api.Envelope;
import io.infercore.api.ExceptionMappers;
import io.infercore.api.ReplyData;
import io.infercore.api.UsageData;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.util.List;

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
            assertThat(load(name)).as(name + " (named in NativeReflection) must exist").isNotNull();
        }
    }

    @Test
    void should_annotate_the_api_types_that_replies_writes_as_strings() {
        for (Class<?> dto : List.of(Envelope.class, ReplyData.class, UsageData.class, EmbedData.class,
                ExceptionMappers.OpenAiError.class)) {
            assertThat(dto.getAnnotation(RegisterForReflection.class)).as(dto.getName()).isNotNull();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
