package io.infercore.supervisor.kubernetes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one run's Deployment must hold, decided by the supervisor: the engine's real command line
 * ({@code EngineCommands}), its plain environment, the variables that come from the Secret (name
 * → key), GPUs per replica, replicas, the port it listens on and its own health route, and the launch plan as JSON
 * (the run's shared state: any gateway that reads the Deployment can rebuild the run from it).
 */
public record WorkloadSpec(String runId, String engineType, String modelName, List<String> command,
                           Map<String, String> env, Map<String, String> secretEnv, int gpus, int replicas,
                           int port, String probePath, String planJson, Instant createdAt) {

    public WorkloadSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        secretEnv = Map.copyOf(secretEnv);
    }
}
