package io.infercore.catalog;

/**
 * What the catalog needs to know about an engine: its name, which sources it runs and whether
 * entries may name parsers for it. Each engine's {@code io.infercore.engine.EngineProvider}
 * answers; the catalog itself names no engine.
 */
public interface CatalogEngine {

    /** The {@code engine_type} catalog entries name. */
    String type();

    /** Whether the engine can run {@code size} from its sources (registrations list only such engines). */
    default boolean runsSource(ModelSize size) {
        return false;
    }

    /** Whether catalog entries may name tool-call / reasoning parsers for this engine. */
    default boolean takesParsers() {
        return false;
    }

    /**
     * Where the engine comes in the engines a registration derives from one size's sources (lower
     * first), so the derived list reads the same whatever order the engines were discovered in.
     */
    default int sourceRank() {
        return Integer.MAX_VALUE;
    }
}
