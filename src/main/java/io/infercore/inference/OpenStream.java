package io.infercore.inference;

import io.infercore.engine.StreamEvent;
import io.smallrye.mutiny.Multi;

/** A validated, routed stream that has not been subscribed yet. */
public record OpenStream(Multi<StreamEvent> events, String engineType, String modelName) {
}
