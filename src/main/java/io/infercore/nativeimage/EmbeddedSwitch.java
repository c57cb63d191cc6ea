package io.infercore.nativeimage;

import io.infercore.config.InfercoreConfig;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Whether the in-process engines run: the embedded llama.cpp engine (java-llama.cpp, JNI) and
 * the embedded embedding model (ONNX Runtime and DJL tokenizers, JNI). Their native libraries are
 * loaded from their jars, which a native executable does not carry, so the native build runs
 * without them: {@code infercore.embedded.enabled} defaults to {@code true} on the JVM and to
 * {@code false} in a native executable. Set it to {@code false} on the JVM to run a gateway for
 * remote engines only (no model loaded at start-up, readiness does not wait for one).
 *
 * <p>When off, every request for the embedded engine is a {@code 503} naming the remote engines,
 * and Ollama, vLLM and SGLang work as usual.
 */
@Singleton
public class EmbeddedSwitch {

    /** The configuration key. */
    public static final String KEY = "infercore.embedded.enabled";
    private static final Logger LOG = Logger.getLogger(EmbeddedSwitch.class);

    private final boolean enabled;
    private final String reason;

    @Inject
    EmbeddedSwitch(InfercoreConfig config) {
        this(config.embedded().enabled(), ImageMode.current().isNativeImage());
    }

    EmbeddedSwitch(Optional<Boolean> configured, boolean nativeImage) {
        this.enabled = configured.orElse(!nativeImage);
        this.reason = configured.isPresent()
                ? "is disabled (" + KEY + "=false); use engine_type ollama, vllm or sglang"
                : "is not available in the native build (it needs JNI libraries); use engine_type ollama, vllm or "
                        + "sglang, or the JVM build for the embedded engine";
    }

    /** A switch fixed to {@code enabled}, for code built outside CDI (tests). */
    public static EmbeddedSwitch of(boolean enabled) {
        return new EmbeddedSwitch(Optional.of(enabled), false);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Why the embedded engine cannot serve, in one sentence with the way out. */
    public String message() {
        return "The embedded engine (llamacpp: llama.cpp and the embedding model) " + reason;
    }

    /** The 503 every request to the embedded engine gets while it is off. */
    public InfercoreException unavailable() {
        return new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, message(), "engine_type", null);
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.warn(message());
        }
    }
}
