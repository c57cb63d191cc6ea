package io.infercore.supervisor;

import java.util.List;

/** A replica as persisted in the state file: enough to find its process again (pid + start time + port). */
public record ReplicaState(int index, RunStatus status, Long pid, Long startedAt, Integer port, String baseUrl,
                           List<String> gpus, String lastError, int restarts) {
}
