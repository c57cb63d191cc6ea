package io.infercore.supervisor;

import io.infercore.catalog.GgufSource;
import io.infercore.engine.EndpointRegistry;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What the supervisor lends the run drivers of engine packages ({@link EngineLauncher#drivers}):
 * its settings, the endpoint registry requests are routed through, its worker threads, and the
 * shared probe and hub download machinery.
 */
public final class DriverContext {

    /** Byte progress of a download: {@code total} is -1 while unknown. */
    @FunctionalInterface
    public interface DownloadProgress {
        void bytes(long done, long total);
    }

    private final SupervisorSettings settings;
    private final EndpointRegistry registry;
    private final ExecutorService workers;
    private final HubDownloader hub;
    private final Path ggufDir;
    private final Readiness readiness = new Readiness();

    DriverContext(SupervisorSettings settings, EndpointRegistry registry, ExecutorService workers, HubDownloader hub,
                  Path ggufDir) {
        this.settings = settings;
        this.registry = registry;
        this.workers = workers;
        this.hub = hub;
        this.ggufDir = ggufDir;
    }

    public SupervisorSettings settings() {
        return settings;
    }

    /** Where a driver registers a serving replica and removes one that stopped serving. */
    public EndpointRegistry registry() {
        return registry;
    }

    /** The supervisor's threads: blocking work (probes, waits, downloads) runs here, never on the caller's. */
    public ExecutorService workers() {
        return workers;
    }

    /** True when {@code method url} answers 200 within {@code supervisor.probe_timeout}. */
    public boolean probe(String url, String method) {
        return readiness.probe(url, method, settings.probeTimeout());
    }

    /** Where GGUF files are kept ({@code <models_dir>/gguf}). */
    public Path ggufDir() {
        return ggufDir;
    }

    /** The address {@code source} is downloaded from. */
    public String downloadUrl(GgufSource source) {
        return hub.url(source);
    }

    /**
     * The verified file of {@code source} in {@code dir}, downloaded first when missing (resumable,
     * size and SHA-256 checked); gives up when {@code cancelled} turns true.
     */
    public Path download(GgufSource source, Path dir, DownloadProgress progress, BooleanSupplier cancelled) {
        return hub.fetch(source, dir, progress::bytes, cancelled);
    }
}
