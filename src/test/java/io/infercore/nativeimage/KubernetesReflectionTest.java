package io.infercore.nativeimage;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KubernetesReflection} registers every Fabric8 class Jackson touches when the client
 * (de)serialises the kubernetes backend's objects: the closure is walked here from
 * {@link KubernetesReflection#ROOTS} with the client's own {@code ObjectMapper} (as
 * {@code KubernetesSerialization} configures it), through every bean property Jackson finds for
 * serialisation and deserialisation, the element, key and type-argument types of collections, maps
 * and generic types, super classes and interfaces (Jackson reads their members and annotations),
 * and the serializers and deserializers named in Jackson annotations. A class reached here and not
 * registered would be an empty bean (or a failed read) in the native executable only.
 */
class KubernetesReflectionTest {

    private static final String FABRIC8 = "io.fabric8.";

    @Test
    void should_register_the_whole_jackson_closure_of_the_roots() throws ClassNotFoundException {
        Set<String> closure = closure(KubernetesReflection.ROOTS);
        assertThat(closure).as("the walk reaches the pod spec").contains("io.fabric8.kubernetes.api.model.Container",
                "io.fabric8.kubernetes.api.model.Quantity$Serializer", "io.fabric8.kubernetes.api.model.StatusCause");
        assertThat(closure).hasSizeGreaterThan(100);
        Set<String> missing = new TreeSet<>(closure);
        missing.removeAll(registered());
        assertThat(missing).as("reached by Jackson from KubernetesReflection.ROOTS, not registered in KubernetesReflection")
                .isEmpty();
    }

    @Test
    void should_register_the_roots_and_only_classes_that_exist() {
        assertThat(registered()).containsAll(KubernetesReflection.ROOTS);
        for (String name : registered()) {
            assertThat(NativeMetadata.load(name)).as(name + " (named in KubernetesReflection) must exist").isNotNull();
        }
    }

    /** The walk itself: a name dropped from a registration list is found missing. */
    @Test
    void should_find_a_class_missing_from_a_registration() throws ClassNotFoundException {
        Set<String> closure = closure(List.of("io.fabric8.kubernetes.api.model.apps.Deployment"));
        assertThat(closure).contains("io.fabric8.kubernetes.api.model.apps.DeploymentStrategy",
                "io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment", "io.fabric8.kubernetes.api.model.IntOrString",
                "io.fabric8.kubernetes.api.model.AnyType$Serializer", "io.fabric8.kubernetes.api.model.HasMetadata");
        assertThat(closure).doesNotContain("io.fabric8.kubernetes.api.model.apps.DeploymentBuilder",
                "io.fabric8.kubernetes.api.model.Service");
    }

    /**
     * Every Fabric8 model jar on the class path (and the client API jar) has its Jandex index removed in
     * application.properties: a model jar a new client version brings would otherwise have all its
     * classes registered again.
     */
    @Test
    void should_remove_the_index_of_every_fabric8_model_jar() throws IOException {
        Properties config = new Properties();
        try (InputStream in = KubernetesReflectionTest.class.getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        Set<String> removed = new TreeSet<>();
        Pattern key = Pattern.compile("quarkus\\.class-loading\\.removed-resources\\.\"io\\.fabric8:([^\"]+)\"");
        config.stringPropertyNames().forEach(k -> {
            Matcher m = key.matcher(k);
            if (m.matches() && config.getProperty(k).equals("META-INF/jandex.idx")) {
                removed.add(m.group(1));
            }
        });
        Set<String> indexed = new TreeSet<>();
        Pattern jar = Pattern.compile(".*/io/fabric8/(kubernetes-model-[^/]+|kubernetes-client-api)/[^/]+/[^/]+\\.jar!/META-INF/jandex\\.idx");
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/jandex.idx"))) {
            Matcher m = jar.matcher(url.toString());
            if (m.matches()) {
                indexed.add(m.group(1));
            }
        }
        assertThat(indexed).as("Fabric8 model jars with a Jandex index on the class path").contains("kubernetes-model-core",
                "kubernetes-model-apps", "kubernetes-client-api");
        assertThat(removed).containsAll(indexed);
    }

    private static Set<String> registered() {
        return Set.of(KubernetesReflection.class.getAnnotation(RegisterForReflection.class).classNames());
    }

    /** The Fabric8 classes Jackson reaches from {@code roots}. */
    static Set<String> closure(List<String> roots) throws ClassNotFoundException {
        ObjectMapper mapper = new ObjectMapper();
        new KubernetesSerialization(mapper, true); // configures the mapper as the client's own
        Deque<JavaType> todo = new ArrayDeque<>();
        for (String root : roots) {
            todo.add(mapper.constructType(Class.forName(root)));
        }
        Set<String> seen = new TreeSet<>();
        while (!todo.isEmpty()) {
            JavaType type = todo.pop();
            for (int i = 0; i < type.containedTypeCount(); i++) {
                todo.add(type.containedType(i));
            }
            if (type.getContentType() != null) {
                todo.add(type.getContentType());
            }
            if (type.getKeyType() != null) {
                todo.add(type.getKeyType());
            }
            Class<?> raw = type.getRawClass();
            if (!raw.getName().startsWith(FABRIC8) || !seen.add(raw.getName())) {
                continue;
            }
            named(raw).forEach(c -> todo.add(mapper.constructType(c)));
            if (raw.getSuperclass() != null) {
                todo.add(mapper.constructType(raw.getSuperclass()));
            }
            for (Class<?> i : raw.getInterfaces()) {
                todo.add(mapper.constructType(i));
            }
            if (raw.isEnum() || raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
                // No bean of its own: an interface property (WatchEvent's object) is read by kind into a root.
                continue;
            }
            for (BeanDescription bean : List.of(mapper.getSerializationConfig().introspect(type),
                    mapper.getDeserializationConfig().introspect(type))) {
                for (BeanPropertyDefinition property : bean.findProperties()) {
                    todo.add(property.getPrimaryType());
                    for (AnnotatedMember member : new AnnotatedMember[] {property.getField(), property.getGetter(),
                            property.getSetter()}) {
                        if (member != null) {
                            named(member.getAnnotated()).forEach(c -> todo.add(mapper.constructType(c)));
                        }
                    }
                }
            }
        }
        return seen;
    }

    /** The Fabric8 serializers, deserializers and builders named in the Jackson annotations of {@code element}. */
    private static List<Class<?>> named(AnnotatedElement element) {
        return Stream.of(element.getDeclaredAnnotations())
                .flatMap(a -> NativeMetadata.namedClasses(a, List.of("using", "contentUsing", "keyUsing", "builder")).stream())
                .filter(c -> c.getName().startsWith(FABRIC8)).toList();
    }
}
