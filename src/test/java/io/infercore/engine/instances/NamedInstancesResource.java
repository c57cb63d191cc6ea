package io.infercore.engine.instances;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;

/**
 * Two fake Ollama 0.12 servers as the named instances {@code ollama:a} and {@code ollama:b}, and
 * two fake vLLM 0.11 servers as {@code vllm:box1} (which wants an API key) and {@code vllm:box2},
 * each on its own port. The default Ollama instance points at a port nothing listens on, so a
 * request that reached it instead of an instance would fail. Test classes get the fakes in a
 * field of type {@link Fakes} annotated {@link InjectFakes}.
 */
public class NamedInstancesResource implements QuarkusTestResourceLifecycleManager {

    /** The model both fake Ollamas serve, and the embedding model. */
    public static final String OLLAMA_MODELS = "llama3.2:latest,nomic-embed-text:latest";
    public static final String VLLM_MODEL = "Qwen/Qwen2-0.5B-Instruct";
    public static final String BOX1_KEY = "sk-box1-secret-key";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFakes {
    }

    /** The fakes behind {@code ollama:a}, {@code ollama:b}, {@code vllm:box1} and {@code vllm:box2}. */
    public record Fakes(FakeEngineProcess ollamaA, FakeEngineProcess ollamaB, FakeEngineProcess box1,
                        FakeEngineProcess box2) {
    }

    private Fakes fakes;

    @Override
    public Map<String, String> start() {
        fakes = new Fakes(FakeEngineProcess.ollama(OLLAMA_MODELS), FakeEngineProcess.ollama(OLLAMA_MODELS),
                FakeEngineProcess.vllm(VLLM_MODEL, "--api-key", BOX1_KEY), FakeEngineProcess.vllm(VLLM_MODEL));
        Map<String, String> config = new HashMap<>();
        config.put("infercore.ollama.base_url", "http://127.0.0.1:" + FakeEngineProcess.freePort());
        config.put("infercore.ollama.instances.a.base_url", fakes.ollamaA().baseUrl());
        config.put("infercore.ollama.instances.b.base_url", fakes.ollamaB().baseUrl());
        config.put("infercore.ollama.timeouts.connect", "2s");
        config.put("infercore.ollama.timeouts.first_token", "5s");
        config.put("infercore.ollama.timeouts.breaker_failures", "2");
        config.put("infercore.ollama.timeouts.breaker_open", "60s");
        config.put("infercore.vllm.api_key", "sk-default-vllm-key");
        config.put("infercore.vllm.instances.box1.base_url", fakes.box1().baseUrl());
        config.put("infercore.vllm.instances.box1.api_key", BOX1_KEY);
        config.put("infercore.vllm.instances.box2.base_url", fakes.box2().baseUrl());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fakes, new TestInjector.AnnotatedAndMatchesType(InjectFakes.class, Fakes.class));
    }

    @Override
    public void stop() {
        if (fakes != null) {
            for (FakeEngineProcess fake : new FakeEngineProcess[] {fakes.ollamaA(), fakes.ollamaB(), fakes.box1(), fakes.box2()}) {
                fake.close();
            }
        }
    }
}
