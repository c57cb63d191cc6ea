package io.infercore.engine.ollama;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Starts the fake Ollama 0.12 server ({@code src/test/fakes/fake_ollama.py}) for a {@code @QuarkusTest}
 * and points {@code infercore.ollama.base_url} at it, with a short first-token timeout so the
 * {@code hang} knob gives a 504 quickly. Test classes get the process in a field annotated
 * {@link InjectFakeOllama}.
 */
public class FakeOllamaResource implements QuarkusTestResourceLifecycleManager {

    /** The first-token timeout the application runs with under this resource. */
    public static final String FIRST_TOKEN_TIMEOUT = "2s";
    /** Models the fake serves: a chat model (thinking-capable in the fake) and an embedding model. */
    public static final String MODELS = "llama3.2:latest,nomic-embed-text:latest";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFakeOllama {
    }

    private FakeEngineProcess fake;

    @Override
    public Map<String, String> start() {
        fake = FakeEngineProcess.ollama(MODELS);
        return Map.of(
                "infercore.ollama.base_url", fake.baseUrl(),
                "infercore.ollama.timeouts.connect", "2s",
                "infercore.ollama.timeouts.first_token", FIRST_TOKEN_TIMEOUT,
                "infercore.ollama.timeouts.total", "30s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectFakeOllama.class, FakeEngineProcess.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
