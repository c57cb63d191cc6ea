package io.infercore.supervisor;

import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.sglang.SglangCommand;
import io.infercore.engine.vllm.VllmCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's lifecycle classes wired without CDI, as the {@link Supervisor} bean wires them,
 * with the fake engines as launch commands and test-sized timings. Two harnesses on the same
 * directory are a service and the same service after a restart.
 */
final class Harness implements AutoCloseable {

    static final List<String> VLLM = List.of("src/test/fakes/vllm", "serve");
    static final List<String> SGLANG = List.of("python3", "src/test/fakes/sglang_launch_server.py");

    final Path dir;
    final SupervisorSettings settings;
    final EndpointRegistry registry = new EndpointRegistry();
    /**
     * Threads whose context class loader is this test's: the supervisor's probes run on Mutiny
     * (the one transport), whose context-propagation hook, left installed by a {@code @QuarkusTest}
     * that ran earlier in the same JVM, loads its extensions through the thread's context class
     * loader; a thread still carrying a stopped Quarkus application's loader fails there
     * ("MutinyContextManagerExtension not a subtype").
     */
    private static final java.util.concurrent.ThreadFactory THREADS = task -> {
        Thread thread = Executors.defaultThreadFactory().newThread(task);
        thread.setContextClassLoader(Harness.class.getClassLoader());
        return thread;
    };

    final ExecutorService workers = Executors.newCachedThreadPool(THREADS);
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(THREADS);
    final ProcessDriver processes;
    final RunTable table;
    private boolean abandoned;

    Harness(Path dir, SupervisorSettings settings, List<String> vllmCommand) {
        Thread.currentThread().setContextClassLoader(Harness.class.getClassLoader()); // see THREADS
        this.dir = dir;
        this.settings = settings;
        EngineCommands commands = new EngineCommands(Map.of("vllm", new VllmCommand(vllmCommand, 0.5, null),
                "sglang", new SglangCommand(SGLANG, null, null)), dir.resolve("HF"),
                Map.of("HUGGINGFACE_HUB_CACHE", dir.resolve("HF").toString()));
        processes = new ProcessDriver(settings, commands, registry, new GpuAllocator(null), dir.resolve("runs"),
                workers, timer);
        table = new RunTable(new RunStateStore(dir.resolve("runs/state.json")),
                Map.of(RunMode.SPAWNED, processes, RunMode.ATTACHED, new AttachDriver(settings, registry, workers, commands::probePath)),
                registry, dir.resolve("runs"));
    }

    Harness(Path dir) {
        this(dir, settings(), VLLM);
    }

    /** Fast timings: 100 ms polls, 3 s stall, 2 s grace, 2 restarts per window, back-off from 100 ms. */
    static SupervisorSettings settings() {
        return new SupervisorSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 2, Duration.ofSeconds(3),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 2, Duration.ofMinutes(10), Duration.ofMillis(100),
                Duration.ofMillis(400), Duration.ofMillis(100));
    }

    static LaunchPlan vllm(int replicas, Map<String, Object> engineArgs) {
        return new LaunchPlan("vllm", RunMode.SPAWNED, "qwen2-0.5b", "0.5B", "llm", "Qwen/Qwen2-0.5B-Instruct",
                "Qwen/Qwen2-0.5B-Instruct", null, null, null, 1, replicas, null, engineArgs, null);
    }

    static LaunchPlan sglang(Map<String, Object> engineArgs) {
        return new LaunchPlan("sglang", RunMode.SPAWNED, "qwen3-0.6b", "0.6B", "llm", "Qwen/Qwen3-0.6B",
                "Qwen/Qwen3-0.6B", null, null, null, 1, 1, null, engineArgs, null);
    }

    ModelRun startAndWait(LaunchPlan plan) throws Exception {
        ModelRun run = table.start(plan, LaunchProgress.Sink.NONE);
        run.started.get(20, TimeUnit.SECONDS);
        return run;
    }

    /** The service going away with on_shutdown=leave: engines keep running, nothing watches them. */
    void abandon() {
        abandoned = true;
        table.shutdown(false);
        workers.shutdownNow();
        timer.shutdownNow();
    }

    @Override
    public void close() {
        if (abandoned) {
            return; // its engines belong to the harness that re-adopted them
        }
        table.shutdown(true);
        workers.shutdownNow();
        timer.shutdownNow();
    }
}
