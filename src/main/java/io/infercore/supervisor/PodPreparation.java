package io.infercore.supervisor;

/**
 * Work the gateway does in a Ready Pod of a run before routing to it (pull and load a model into
 * the Pod's server, for example). Until it is done the Pod's replica is starting; when it fails,
 * its error is the replica's (and the run's) reason. See {@link PodTemplate#preparation}.
 */
public interface PodPreparation {

    /** Where the work in one Pod stands. */
    enum State { PREPARING, READY, FAILED }

    /** Where one Pod stands; {@code error} is set when FAILED. */
    record Prepared(State state, String error) {
    }

    /**
     * Where the Pod {@code pod} at {@code url} stands; the first call for a Pod starts the work in
     * the background, and {@code done} runs when it ends (the driver then applies the watch again).
     */
    Prepared prepare(ModelRun run, String pod, String url, Runnable done);

    /** What is being done while a Pod is PREPARING, for the replica's status ("pulling and loading x"). */
    String activity(LaunchPlan plan);

    /** Forgets the Pods of a run that is gone. */
    void forget(String runId);
}
