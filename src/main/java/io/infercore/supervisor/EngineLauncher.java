package io.infercore.supervisor;

import io.infercore.config.InfercoreConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the supervisor launches one engine's runs: the engine-specific half of turning a start
 * request into a {@link LaunchPlan}, and of serving it. One CDI bean per engine package that can
 * launch (engines without one cannot be started through {@code POST /api/v1/models/start});
 * {@link LaunchResolver} checks what every engine shares (catalog entry, size, replicas range,
 * catalog quantizations and formats, thinking mode) and hands the rest to the engine's launcher.
 *
 * <p>The supervisor's generic machinery (process spawning, readiness, restarts, GPU allocation,
 * the Kubernetes API calls, the run table) asks the launcher for what only the engine knows: the
 * command line of its server ({@link #serverCommand}), the driver of runs it serves in its own way
 * ({@link #drivers}), its Pods on Kubernetes ({@link #podTemplate}), the models it serves by
 * itself ({@link #builtins}) and the defaults requests to its runs carry ({@link #requestDefaults}).
 * Every hook but {@link #type}, {@link #plan} and {@link #options} has a default: an engine says
 * only what it does.
 */
public interface EngineLauncher {

    /** The {@code engine_type} this launcher starts runs of. */
    String type();

    /** The plan for {@code launch}, or a 400 ({@code InfercoreException.invalid}) naming the field and what would work. */
    LaunchPlan plan(LaunchContext launch);

    /** What the engine allows at launch, for the UI: a launch-options answer per catalog size. */
    LaunchOptions options(LaunchContext.Choice choice);

    /**
     * The command line of the engine's server, for its {@link RunMode#SPAWNED} runs (and the
     * container of its Pods); null when its runs are no server the supervisor spawns. Called once
     * at start-up.
     */
    default ServerCommand serverCommand(InfercoreConfig config) {
        return null;
    }

    /**
     * The Bearer token the server an {@link RunMode#ATTACHED} run of {@code plan} attaches to
     * expects (its named instance's {@code api_key}, else the engine's); null when none. Read from
     * the configuration each time: plans are persisted and hold no secret.
     */
    default String attachKey(InfercoreConfig config, LaunchPlan plan) {
        return null;
    }

    /**
     * The drivers of the run modes the engine serves in its own way (a model pulled into a server
     * it talks to, a model loaded in-process), by the mode its plans name; empty when its runs are
     * spawned or attached servers, which the supervisor drives itself. Called once at start-up.
     */
    default Map<RunMode, RunDriver> drivers(DriverContext context) {
        return Map.of();
    }

    /**
     * The engine's runs as Kubernetes Pods ({@code supervisor.backend=kubernetes}); null keeps its
     * runs off the cluster (they run as on one host). Called once at start-up on that backend.
     *
     * @param podEnv the plain environment every server of Hugging Face checkpoints gets in its Pod
     *               (models cache path, hub address)
     */
    default PodTemplate podTemplate(InfercoreConfig config, Map<String, String> podEnv) {
        return null;
    }

    /** A model the engine serves by itself, listed as a {@link RunMode#BUILTIN} run (never started or stopped). */
    record Builtin(String runId, String modelType, String modelName, String source) {
    }

    /** The models the engine loads by itself, in the order they are listed. */
    default List<Builtin> builtins() {
        return List.of();
    }

    /**
     * Where a model of {@link #builtins} stands: {@code loading}, {@code ready} or {@code failed};
     * empty when it is not loaded.
     */
    default Optional<String> builtinStatus(String modelName) {
        return Optional.empty();
    }

    /**
     * Values every request naming a run of {@code plan} carries unless it sets them itself (a
     * context size the engine applies per request, so requests get what the run was loaded with).
     */
    default Map<String, Object> requestDefaults(LaunchPlan plan) {
        return Map.of();
    }
}
