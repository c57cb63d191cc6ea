package io.infercore.supervisor;

import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.util.List;

/** A start that failed (engine exited, stalled, refused the model); carries the engine's last log lines. */
public class LaunchFailure extends InfercoreException {

    private final List<String> logTail;

    public LaunchFailure(ErrorKind kind, String message, List<String> logTail) {
        super(kind, message + (logTail.isEmpty() ? "" : "; last log lines:\n" + String.join("\n", logTail)),
                null, null);
        this.logTail = List.copyOf(logTail);
    }

    public LaunchFailure(String message, List<String> logTail) {
        this(ErrorKind.ENGINE_UNAVAILABLE, message, logTail);
    }

    public List<String> logTail() {
        return logTail;
    }
}
