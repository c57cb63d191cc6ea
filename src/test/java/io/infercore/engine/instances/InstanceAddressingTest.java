package io.infercore.engine.instances;

import io.infercore.engine.Capability;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.EngineRegistry;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.StreamEvent;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.Target;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code engine:instance} addresses resolve: the registry's lookup and the model-name form of {@link Target}. */
class InstanceAddressingTest {

    /** An adapter that only has a type, an instance name and instances of its own. */
    record Named(String type, String instance, Map<String, EngineAdapter> namedInstances) implements EngineAdapter {
        public Set<Capability> capabilities() {
            return Set.of();
        }

        public Uni<ModelInfo> resolveModel(String model) {
            return Uni.createFrom().item(new ModelInfo(model, 0));
        }

        public Uni<List<ModelInfo>> listModels() {
            return Uni.createFrom().item(List.of());
        }

        public Multi<StreamEvent> stream(GenerationRequest request) {
            return Multi.createFrom().empty();
        }

        public Uni<EngineHealth> health() {
            return Uni.createFrom().item(new EngineHealth(address(), true, null, "up"));
        }
    }

    static Named engine(String type, String... instances) {
        Map<String, EngineAdapter> named = new java.util.TreeMap<>();
        for (String name : instances) {
            named.put(name, new Named(type, name, Map.of()));
        }
        return new Named(type, null, named);
    }

    @Test
    void should_resolve_the_default_and_each_named_instance() {
        EngineRegistry registry = new EngineRegistry(List.of(engine("remote", "a", "gpu-2"), engine("local")));
        assertThat(registry.require("remote").instance()).isNull();
        assertThat(registry.require("remote:gpu-2").address()).isEqualTo("remote:gpu-2");
        assertThat(registry.instances()).extracting(EngineAdapter::address)
                .containsExactly("local", "remote", "remote:a", "remote:gpu-2");
        assertThat(registry.all()).as("one adapter per engine type").hasSize(2);
        assertThat(registry.provider("remote:a").type()).isEqualTo("remote");
    }

    @Test
    void should_answer_404_naming_the_instances_and_400_for_an_unknown_engine() {
        EngineRegistry registry = new EngineRegistry(List.of(engine("remote", "a", "b")));
        assertThatThrownBy(() -> registry.require("remote:zz"))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("no instance 'zz'").hasMessageContaining("[remote, remote:a, remote:b]");
        assertThatThrownBy(() -> registry.require("other:a"))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
                .hasMessageContaining("Unknown engine_type 'other'");
    }

    @Test
    void should_refuse_an_instance_name_a_model_name_cannot_carry() {
        assertThatThrownBy(() -> new EngineRegistry(List.of(engine("remote", "Box_1"))))
                .hasMessageContaining("remote.instances: 'Box_1' is not a valid instance name");
    }

    @Test
    void should_read_engine_colon_instance_slash_model_from_a_model_name() {
        assertThat(new Target(null, "remote:gpu-2/org/model:q4", null))
                .isEqualTo(new Target("remote:gpu-2", "org/model:q4", null));
        assertThat(new Target("remote", "remote:a/m", null)).isEqualTo(new Target("remote:a", "m", null));
        assertThat(new Target("other", "remote:a/m", null).modelName()).as("another engine named: a plain name")
                .isEqualTo("remote:a/m");
        assertThat(new Target(null, "org/model:q4", null).engineType()).isNull();
        assertThat(new Target(null, "hf.co/org/repo:Q4_K_M", null).engineType()).isNull();
    }
}
