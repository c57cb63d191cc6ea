package io.infercore.supervisor;

import io.infercore.config.InfercoreConfig;

import java.time.Duration;

/**
 * The supervisor's timing and restart policy as plain values ({@code supervisor.*} keys, see
 * {@link InfercoreConfig.Supervisor}), so the lifecycle classes can be built without CDI in tests.
 *
 * @param pollInterval how often a starting engine is probed for readiness
 */
public record SupervisorSettings(Duration healthInterval, Duration probeTimeout, int unhealthyThreshold,
                                 Duration stallTimeout, Duration startupTimeout, Duration stopGrace,
                                 int restartLimit, Duration restartWindow, Duration restartBackoff,
                                 Duration restartBackoffMax, Duration pollInterval) {

    /**
     * Readiness probes of a starting engine: a refused connection costs microseconds, and every
     * interval is added to the launch time (measured by bench/run.sh, "launch overhead").
     */
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /** After new log output (the engine's "ready" line comes just before its port answers), probe again sooner. */
    static final Duration POLL_AFTER_OUTPUT = Duration.ofMillis(10);

    public static SupervisorSettings from(InfercoreConfig.Supervisor c) {
        return new SupervisorSettings(c.healthInterval(), c.probeTimeout(), Math.max(1, c.unhealthyThreshold()),
                c.stallTimeout(), c.startupTimeout(), c.stopGrace(), Math.max(0, c.restartLimit()), c.restartWindow(),
                c.restartBackoff(), c.restartBackoffMax(), POLL_INTERVAL);
    }

    /** Delay before restart number {@code n} (1-based) in the window: the backoff doubled n-1 times, capped. */
    public Duration backoff(int n) {
        Duration delay = restartBackoff;
        for (int i = 1; i < n && delay.compareTo(restartBackoffMax) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(restartBackoffMax) > 0 ? restartBackoffMax : delay;
    }
}
