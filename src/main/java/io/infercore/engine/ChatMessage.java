package io.infercore.engine;

import java.util.List;

/**
 * One chat turn; {@code role} is system, user, assistant or tool.
 *
 * @param toolCalls  on an assistant turn: the calls it made (its content may then be null)
 * @param toolCallId on a tool turn: the call this result answers
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatMessage(String role, String content) {
        this(role, content, null, null);
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
