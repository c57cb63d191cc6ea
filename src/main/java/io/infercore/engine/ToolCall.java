package io.infercore.engine;

/**
 * A call the model asked for. {@code arguments} is JSON text, exactly as the model produced it
 * (it may not even parse: callers validate before they run anything). {@code id} pairs the
 * call with the {@code tool} message that answers it; engines without ids get a generated one.
 */
public record ToolCall(String id, String name, String arguments) {
}
