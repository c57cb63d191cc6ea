package io.infercore.engine;

/** One chat turn; {@code role} is system, user, assistant or tool. */
public record ChatMessage(String role, String content) {
}
