package io.infercore.supervisor;

import java.util.List;

/** A run as persisted in the state file. {@code createdAt} is epoch milliseconds. */
public record RunState(String runId, LaunchPlan plan, long createdAt, String reason, List<ReplicaState> replicas) {
}
