package io.infercore.nativeimage;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;

/** What the native-metadata tests share: loading a named class, and the classes a Jackson annotation names. */
final class NativeMetadata {

    private NativeMetadata() {
    }

    /** The class of that name, not initialised, or null when there is none. */
    static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeMetadata.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * The classes {@code annotation} names in those of {@code members} it has, e.g. {@code using} and
     * {@code contentUsing} of a {@code JsonSerialize} or {@code JsonDeserialize}: Jackson instantiates
     * them by reflection.
     */
    static List<Class<?>> namedClasses(Annotation annotation, List<String> members) {
        List<Class<?>> named = new ArrayList<>();
        for (String member : members) {
            try {
                if (annotation.annotationType().getMethod(member).invoke(annotation) instanceof Class<?> c) {
                    named.add(c);
                }
            } catch (ReflectiveOperationException absent) {
                // not a (de)serializer annotation
            }
        }
        return named;
    }
}
