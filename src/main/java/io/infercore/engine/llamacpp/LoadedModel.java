package io.infercore.engine.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import io.infercore.engine.ChatMessage;
import io.infercore.error.InfercoreException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A GGUF model loaded in-process, with the executor its requests run on. */
final class LoadedModel {

    private final String name;
    private final Path path;
    private final LlamaModel model;
    private final int contextLength;
    private final SlotExecutor executor;

    LoadedModel(String name, Path path, LlamaModel model, int contextLength, SlotExecutor executor) {
        this.name = name;
        this.path = path;
        this.model = model;
        this.contextLength = contextLength;
        this.executor = executor;
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    LlamaModel model() {
        return model;
    }

    /** Tokens one request may use, prompt and completion together. */
    int contextLength() {
        return contextLength;
    }

    SlotExecutor executor() {
        return executor;
    }

    int countTokens(String text) {
        return model.encode(text).length;
    }

    /** The model's chat template (llama.cpp falls back to ChatML when the GGUF has none) applied to the turns. */
    String formatChat(List<ChatMessage> messages) {
        return formatChat(messages, List.of());
    }

    /** The same, with the tools described in the system turn and earlier calls and results as text turns. */
    String formatChat(List<ChatMessage> messages, List<io.infercore.engine.ToolSpec> tools) {
        StringBuilder system = new StringBuilder();
        if (!tools.isEmpty()) {
            system.append(ToolCalling.describe(tools));
        }
        List<Pair<String, String>> turns = new ArrayList<>();
        java.util.Set<String> calls = new java.util.HashSet<>();
        for (ChatMessage original : messages) {
            original.toolCalls().forEach(c -> calls.add(c.id() == null ? "" : c.id()));
            if ("tool".equals(original.role()) && (calls.isEmpty()
                    || (original.toolCallId() != null && !calls.contains(original.toolCallId()) && !calls.contains("")))) {
                throw InfercoreException.invalid("messages", "A role 'tool' turn must answer a call an earlier "
                        + "assistant turn made (tool_call_id '" + original.toolCallId() + "' answers none)");
            }
            ChatMessage m = ToolCalling.asText(original);
            switch (m.role()) {
                case "system" -> system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
                case "user", "assistant" -> turns.add(new Pair<>(m.role(), m.content()));
                default -> throw InfercoreException.invalid("messages",
                        "The llamacpp engine does not support role '" + m.role() + "'; use system, user or assistant");
            }
        }
        InferenceParameters params = new InferenceParameters("")
                .setMessages(system.toString(), turns);
        return model.applyTemplate(params);
    }


    void close() {
        executor.shutdown();
        model.close();
    }
}
