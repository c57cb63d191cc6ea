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
 * the embedded embedding model (ONNX Runtime and DJL tokenizers, JNI).
 *
 * <p>{@code infercore.embedded.enabled} (default {@code true}) switches both; set it to {@code false}
 * to run a gateway for remote engines only (no model loaded at start-up, readiness does not wait for
 * one). The llama.cpp engine works in a native executable too: java-llama.cpp extracts
 * {@code libjllama.so} from the executable's resources and the classes its native side looks up are
 * registered for JNI ({@code META-INF/native-image/io.infercore/infercore/jni-config.json},
 * {@code JniConfigTest}). The embedding model is off in a native executable: ONNX Runtime and DJL's
 * tokenizers reach far more Java code through JNI and JNA than java-llama.cpp, and none of it ships
 * native-image metadata; there {@code /api/v1/llm/embed} and {@code /v1/embeddings} answer a
 * {@code 503} that names the remote engines (Ollama, vLLM and SGLang embed).
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
    private final boolean embeddings;
    private final String reason;
    private final String embeddingsReason;

    @Inject
    EmbeddedSwitch(InfercoreConfig config) {
        this(config.embedded().enabled(), ImageMode.current().isNativeImage());
    }

    EmbeddedSwitch(Optional<Boolean> configured, boolean nativeImage) {
        this.enabled = configured.orElse(true);
        this.embeddings = enabled && !nativeImage;
        this.reason = "is disabled (" + KEY + "=false); use engine_type ollama, vllm or sglang";
        this.embeddingsReason = !enabled ? reason
                : "is not available in the native build (ONNX Runtime needs the JVM); embed with engine_type "
                        + "ollama, vllm or sglang, or use the JVM build for the embedded embedding model";
    }

    /** A switch fixed to {@code enabled}, for code built outside CDI (tests). */
    public static EmbeddedSwitch of(boolean enabled) {
        return new EmbeddedSwitch(Optional.of(enabled), false);
    }

    /** Whether the embedded llama.cpp engine serves (and loads its default model at start-up). */
    public boolean enabled() {
        return enabled;
    }

    /** Whether the embedded embedding model serves: with the engine, and not in a native executable. */
    public boolean embeddingsEnabled() {
        return embeddings;
    }

    /** Why the embedded engine cannot serve, in one sentence with the way out. */
    public String message() {
        return "The embedded engine (llamacpp: llama.cpp and the embedding model) " + reason;
    }

    /** The 503 every request to the embedded engine gets while it is off. */
    public InfercoreException unavailable() {
        return new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, message(), "engine_type", null);
    }

    /** The 503 every embedding request to the embedded embedding model gets while it is off. */
    public InfercoreException embeddingsUnavailable() {
        return new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE,
                "The embedded embedding model " + embeddingsReason, "engine_type", null);
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.warn(message());
        } else if (!embeddings) {
            LOG.info("The embedded embedding model " + embeddingsReason);
        }
    }
}
