package io.infercore.supervisor;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One {@code event: progress} of {@code start-stream}. {@code progress} is the whole start's
 * (0-1, never decreasing); byte counts are present while downloading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LaunchProgress(String runId, String stage, String message, double progress, Long bytesDone,
                             Long bytesTotal) {

    public static final String RESOLVING = "resolving";
    public static final String DOWNLOADING = "downloading";
    public static final String LAUNCHING = "launching";
    public static final String LOADING = "loading";

    /** Listener for a start's progress; called from supervisor threads. */
    @FunctionalInterface
    public interface Sink {
        void accept(LaunchProgress progress);

        Sink NONE = p -> { };
    }
}
