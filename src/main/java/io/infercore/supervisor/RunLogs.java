package io.infercore.supervisor;

import io.infercore.access.Secrets;

import java.util.List;

/**
 * {@code GET /api/v1/models/running/{run_id}/logs}: the supervisor's events for the run (launches,
 * readiness, crashes, restarts) and the tail of each replica's engine output.
 */
public record RunLogs(String runId, List<String> events, List<ReplicaLog> replicas) {

    /** Engines print their arguments and environment (tokens, keys) when they start: shown masked. */
    public RunLogs {
        events = events.stream().map(Secrets::redact).toList();
    }

    /** One replica's engine output (empty for engines without a process of ours). */
    public record ReplicaLog(int index, Long pid, List<String> lines) {
        public ReplicaLog {
            lines = lines.stream().map(Secrets::redact).toList();
        }
    }
}
