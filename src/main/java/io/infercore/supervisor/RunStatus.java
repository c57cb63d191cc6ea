package io.infercore.supervisor;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Status of a run and of each of its replicas, as the API spells it (lower case). */
public enum RunStatus {
    STARTING, RUNNING, UNHEALTHY, RESTARTING, FAILED, STOPPED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
