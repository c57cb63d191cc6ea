package io.infercore.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A function the model may call (OpenAI's {@code tools[].function}). Engines that support tools
 * receive it as declared; none of them runs the function: the caller does, and sends the result
 * back as a {@code tool} message.
 *
 * @param parameters the arguments' JSON Schema (an object schema); null means no arguments
 */
public record ToolSpec(String name, String description, ObjectNode parameters) {
}
