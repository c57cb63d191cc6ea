package io.infercore.engine.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import io.infercore.config.InfercoreConfig;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Loads and closes GGUF models off the event loop. Native llama.cpp logging is routed into the
 * service log at DEBUG. Closing is bounded in time: java-llama.cpp can leave a native thread
 * behind on close (upstream issue #116), and shutdown must never wait on it.
 */
@ApplicationScoped
public class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);
    private static final Logger NATIVE = Logger.getLogger("io.infercore.engine.llamacpp.native");
    private static final long CLOSE_TIMEOUT_MS = 3000;
    static final String LIBRARY_DIR_PROPERTY = "de.kherud.llama.tmpdir";

    @Inject
    InfercoreConfig config;

    private final ExecutorService loaders = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "llamacpp-loader");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean loggerInstalled;

    CompletableFuture<LoadedModel> load(String name, Path gguf) {
        return CompletableFuture.supplyAsync(() -> loadNow(name, gguf), loaders);
    }

    private LoadedModel loadNow(String name, Path gguf) {
        if (!Files.isRegularFile(gguf)) {
            throw new InfercoreException(ErrorKind.MODEL_NOT_FOUND, "GGUF file for model '" + name + "' not found at "
                    + gguf + "; run scripts/fetch-default-model.sh or set llamacpp.model_path");
        }
        var cfg = config.llamacpp();
        int slots = Math.max(1, cfg.parallel());
        long started = System.nanoTime();
        ModelParameters params = new ModelParameters()
                .setModel(gguf.toString())
                .setThreads(cfg.threads())
                .setThreadsBatch(cfg.threads())
                .setParallel(slots)
                // llama.cpp splits the context between its slots: give each slot the full context_length.
                .setCtxSize(cfg.contextLength() * slots);
        try {
            installLogger();
            LlamaModel model = new LlamaModel(params);
            LOG.infof("Loaded model '%s' from %s in %d ms (%d threads, %d slots, context %d)", name, gguf,
                    (System.nanoTime() - started) / 1_000_000, cfg.threads(), slots, cfg.contextLength());
            return new LoadedModel(name, gguf, model, cfg.contextLength(),
                    new SlotExecutor(name, slots, cfg.queueSize()));
        } catch (RuntimeException | LinkageError e) {
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "Cannot load model '" + name + "' from "
                    + gguf + ": " + e.getMessage(), null, e);
        }
    }

    void close(LoadedModel model) {
        Thread closer = new Thread(() -> {
            try {
                model.close();
                LOG.infof("Unloaded model '%s'", model.name());
            } catch (RuntimeException e) {
                LOG.warnf("Closing model '%s' failed: %s", model.name(), e.getMessage());
            }
        }, "llamacpp-close-" + model.name());
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CLOSE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warnf("Model '%s' did not close within %d ms; continuing shutdown", model.name(), CLOSE_TIMEOUT_MS);
        }
    }

    /**
     * java-llama.cpp extracts libjllama.so to one fixed file in java.io.tmpdir: a second process
     * extracting it while this one maps it crashes with SIGBUS. Each process gets its own folder,
     * unless the operator chose one with {@code -Dde.kherud.llama.tmpdir}.
     */
    private static void privateLibraryDirectory() {
        if (System.getProperty(LIBRARY_DIR_PROPERTY) != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("infercore-jllama-");
            System.setProperty(LIBRARY_DIR_PROPERTY, dir.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "jllama-cleanup"));
        } catch (java.io.IOException e) {
            LOG.warnf("Cannot create a private folder for the llama.cpp library (%s); using %s",
                    e.getMessage(), System.getProperty("java.io.tmpdir"));
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (java.io.IOException | RuntimeException ignored) {
            // best effort at exit
        }
        dir.toFile().delete();
    }


    private synchronized void installLogger() {
        if (!loggerInstalled) {
            privateLibraryDirectory();
            LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> NATIVE.debug(message.stripTrailing()));
            loggerInstalled = true;
        }
    }
}
