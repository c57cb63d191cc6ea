package io.infercore.supervisor;

/**
 * How the supervisor launches one engine's runs: the engine-specific half of turning a start
 * request into a {@link LaunchPlan}. One CDI bean per engine package that can launch (engines
 * without one cannot be started through {@code POST /api/v1/models/start}); {@link LaunchResolver}
 * checks what every engine shares (catalog entry, size, replicas range, catalog quantizations and
 * formats, thinking mode) and hands the rest to the engine's launcher.
 */
public interface EngineLauncher {

    /** The {@code engine_type} this launcher starts runs of. */
    String type();

    /** The plan for {@code launch}, or a 400 ({@code InfercoreException.invalid}) naming the field and what would work. */
    LaunchPlan plan(LaunchContext launch);

    /** What the engine allows at launch, for the UI: a launch-options answer per catalog size. */
    LaunchOptions options(LaunchContext.Choice choice);
}
