package io.infercore.engine.embedded;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EmbeddingResult;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process default embedding model: sentence-transformers' all-MiniLM-L6-v2 (384
 * dimensions, mean pooling, L2-normalised vectors) from LangChain4j's ONNX bundle, served under
 * {@code infercore.default_embedding_model}. The ONNX graph and its tokenizer are resources of the
 * jar, so it works offline and needs no engine server.
 *
 * <p>The embedded {@code llamacpp} engine delegates {@code embed()} here: GGUF models in llama.cpp
 * are generation models, and their embeddings are neither meaningful nor stable.
 *
 * <p>Threads: embedding is blocking CPU work (ONNX Runtime through JNI), so it never runs on the
 * caller's thread. A request's whole input list is one batch handed to LangChain4j's
 * {@code embedAll} on a single batch thread; LangChain4j spreads the texts of that batch over a
 * compute pool of one thread per core. One batch at a time, first come first served, keeps every
 * core on the batch at hand; at most {@value #QUEUE_SIZE} batches wait, one more is refused with
 * a 503 instead of piling up latency.
 *
 * <p>Loading: the ~90 MB ONNX graph is read by {@link AllMiniLmL6V2EmbeddingModel}'s static
 * initialiser, on the first request and on the batch thread (about 1.5 s), so a gateway that never
 * embeds never pays for it.
 */
@ApplicationScoped
public class EmbeddedEmbeddingModel {

    /** Length of every vector all-MiniLM-L6-v2 produces. */
    public static final int DIMENSIONS = 384;
    /** Batches allowed to wait for the batch thread. */
    static final int QUEUE_SIZE = 32;
    private static final Logger LOG = Logger.getLogger(EmbeddedEmbeddingModel.class);

    @Inject
    InfercoreConfig config;

    private final ThreadPoolExecutor batches = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_SIZE, true), threads("embeddings-batch"));
    private final ExecutorService compute = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), threads("embeddings-compute"));
    /** Touched on the batch thread only. */
    private EmbeddingModel model;

    @PreDestroy
    void stop() {
        batches.shutdownNow();
        compute.shutdownNow();
    }

    /** The model name this embedded model answers to. */
    public String name() {
        return config.defaultEmbeddingModel();
    }

    public boolean serves(String modelName) {
        return name().equals(modelName);
    }

    /** Embeds {@code inputs} as one batch, vectors in input order; the texts are already validated. */
    public Uni<EmbeddingResult> embed(List<String> inputs) {
        List<TextSegment> segments;
        try {
            segments = inputs.stream().map(TextSegment::from).toList(); // refuses text of only chars <= U+0020
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(unreadableInput(e));
        }
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> cancelled.set(true));
            try {
                batches.execute(() -> {
                    if (cancelled.get()) {
                        return; // the client went away while the batch was queued
                    }
                    try {
                        emitter.complete(embedNow(segments));
                    } catch (InfercoreException e) {
                        emitter.fail(e);
                    } catch (RuntimeException | LinkageError e) {
                        emitter.fail(new InfercoreException(ErrorKind.INTERNAL, "The embedded embedding model '"
                                + name() + "' failed: " + e.getMessage(), null, e));
                    }
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(batches.isShutdown()
                        ? new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "The service is shutting down")
                        : new InfercoreException(ErrorKind.OVERLOADED, "The embedded embedding model '" + name()
                        + "' is busy: " + QUEUE_SIZE + " batches are already waiting; retry later"));
            }
        });
    }

    private EmbeddingResult embedNow(List<TextSegment> segments) {
        EmbeddingModel loaded = model();
        long started = System.nanoTime();
        Response<List<Embedding>> response;
        try {
            response = loaded.embedAll(segments);
        } catch (RuntimeException e) {
            throw unreadableInput(e);
        }
        List<float[]> vectors = response.content().stream().map(Embedding::vector).toList();
        Integer tokens = response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        LOG.debugf("Embedded %d inputs with '%s' in %d ms", (Object) segments.size(), name(),
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddingResult(vectors, DIMENSIONS, name(), tokens == null ? 0 : tokens);
    }

    /**
     * The model refuses (IllegalArgumentException, possibly wrapped by its executor) a text its
     * tokenizer reduces to nothing, e.g. only control, format or combining characters: that is the
     * caller's input, a 400, not an engine failure. Anything else is rethrown as it is.
     */
    private static RuntimeException unreadableInput(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return InfercoreException.invalid("input", "an input has no text the embedding model can read (only "
                        + "whitespace, control, format or combining characters)");
            }
        }
        return e;
    }

    /** Loads the model on first use; a failure is reported as a 503 and retried by the next request. */
    private EmbeddingModel model() {
        if (model == null) {
            long started = System.nanoTime();
            try {
                model = new AllMiniLmL6V2EmbeddingModel(compute);
            } catch (RuntimeException | LinkageError e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                LOG.errorf(e, "Cannot load the embedded embedding model '%s'", name());
                throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "Cannot load the embedded embedding model '"
                        + name() + "' (all-MiniLM-L6-v2, ONNX Runtime): " + cause.getMessage(), null, e);
            }
            LOG.infof("Loaded embedded embedding model '%s' (all-MiniLM-L6-v2, ONNX, %d dimensions) in %d ms",
                    name(), DIMENSIONS, (System.nanoTime() - started) / 1_000_000);
        }
        return model;
    }

    /**
     * Daemon threads whose context class loader is the application's: LangChain4j reads the ONNX
     * graph through the thread's context class loader, and a thread created from the event loop
     * or a JNI callback may not carry the one that sees the model jar.
     */
    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        ClassLoader loader = EmbeddedEmbeddingModel.class.getClassLoader();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        };
    }
}
