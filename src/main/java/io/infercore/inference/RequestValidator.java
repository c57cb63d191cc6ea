package io.infercore.inference;

import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.ToolCall;
import io.infercore.engine.ToolChoice;
import io.infercore.engine.ToolSpec;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request rules every entry point shares (native API, OpenAI API, Java API). Each failure
 * is a 400 whose message names the field and the allowed range.
 */
public final class RequestValidator {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    static final int MAX_STOP_SEQUENCES = 16;
    /** OpenAI's limits on tools, which vLLM and SGLang inherit. */
    static final int MAX_TOOLS = 128;
    static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private RequestValidator() {
    }

    public static void validate(GenerationRequest request) {
        if (request.isChat()) {
            validateMessages(request.messages());
        } else if (request.prompt() == null || request.prompt().isBlank()) {
            throw InfercoreException.invalid("prompt", "prompt must be a non-empty string");
        }
        validateSampling(request.sampling());
        validateTools(request);
    }

    static void validateMessages(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            throw InfercoreException.invalid("messages", "messages must hold at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m == null) {
                throw InfercoreException.invalid("messages", "messages[" + i + "] must be an object with role and content");
            }
            if (m.role() == null || !ROLES.contains(m.role())) {
                throw InfercoreException.invalid("messages", "messages[" + i + "].role '" + m.role()
                        + "' is not one of " + ROLES);
            }
            if (m.content() == null && !("assistant".equals(m.role()) && m.hasToolCalls())) {
                throw InfercoreException.invalid("messages", "messages[" + i + "].content must be a string");
            }
            validateToolTurn(i, m);
        }
        if (messages.stream().allMatch(m -> (m.content() == null || m.content().isBlank()) && !m.hasToolCalls())) {
            throw InfercoreException.invalid("messages", "messages must contain some non-empty content");
        }
    }

    private static void validateToolTurn(int i, ChatMessage m) {
        if (m.hasToolCalls() && !"assistant".equals(m.role())) {
            throw InfercoreException.invalid("messages", "messages[" + i + "].tool_calls: only assistant messages "
                    + "carry tool calls, this one has role '" + m.role() + "'");
        }
        for (int c = 0; c < m.toolCalls().size(); c++) {
            ToolCall call = m.toolCalls().get(c);
            if (call == null || call.name() == null || call.name().isBlank() || call.arguments() == null) {
                throw InfercoreException.invalid("messages", "messages[" + i + "].tool_calls[" + c + "] needs "
                        + "function.name and function.arguments (a JSON string)");
            }
        }
    }

    /** Tools go with chat only; names follow OpenAI's rule and are unique; a forced function must be declared. */
    static void validateTools(GenerationRequest request) {
        if (!request.hasTools()) {
            return;
        }
        if (!request.isChat()) {
            throw InfercoreException.invalid("tools", "tools need a chat request (messages), not a prompt");
        }
        List<ToolSpec> tools = request.tools();
        if (tools.size() > MAX_TOOLS) {
            throw InfercoreException.invalid("tools", "tools takes at most " + MAX_TOOLS + " functions, got " + tools.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            ToolSpec tool = tools.get(i);
            String name = tool == null ? null : tool.name();
            if (name == null || !TOOL_NAME.matcher(name).matches()) {
                throw InfercoreException.invalid("tools", "tools[" + i + "].function.name must be 1-64 letters, "
                        + "digits, '_' or '-', got " + (name == null ? "nothing" : "'" + name + "'"));
            }
            if (!names.add(name)) {
                throw InfercoreException.invalid("tools", "tools[" + i + "].function.name '" + name
                        + "' is declared twice; function names must be unique");
            }
            if (tool.parameters() != null && tool.parameters().has("type")
                    && !"object".equals(tool.parameters().path("type").asText())) {
                throw InfercoreException.invalid("tools", "tools[" + i + "].function.parameters must be a JSON Schema "
                        + "of type object (the arguments), got type " + tool.parameters().get("type"));
            }
        }
        ToolChoice choice = request.toolChoice();
        if (choice.function() != null && !names.contains(choice.function())) {
            throw InfercoreException.invalid("tool_choice", "tool_choice names function '" + choice.function()
                    + "', which is not in tools " + names);
        }
        if (choice.function() == null && !"auto".equals(choice.mode()) && !"required".equals(choice.mode())) {
            throw InfercoreException.invalid("tool_choice", "tool_choice must be none, auto, required or "
                    + "{type: function, function: {name}}, got '" + choice.mode() + "'");
        }
    }

    static void validateSampling(SamplingParams s) {
        if (s.maxTokens() != null && s.maxTokens() < 1) {
            throw InfercoreException.invalid("max_tokens", "max_tokens must be a positive integer, got " + s.maxTokens());
        }
        if (s.temperature() != null && (s.temperature().isNaN() || s.temperature() < 0 || s.temperature() > 2)) {
            throw InfercoreException.invalid("temperature", "temperature must be between 0 and 2, got " + s.temperature());
        }
        if (s.topP() != null && (s.topP().isNaN() || s.topP() <= 0 || s.topP() > 1)) {
            throw InfercoreException.invalid("top_p", "top_p must be greater than 0 and at most 1, got " + s.topP());
        }
        List<String> stop = s.stopOrEmpty();
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw InfercoreException.invalid("stop", "stop takes at most " + MAX_STOP_SEQUENCES + " sequences");
        }
        for (String seq : stop) {
            if (seq == null || seq.isEmpty()) {
                throw InfercoreException.invalid("stop", "stop sequences must be non-empty strings");
            }
        }
    }

    /** max_tokens can never exceed the model's whole context. */
    public static void validateAgainstModel(GenerationRequest request, ModelInfo model) {
        Integer max = request.sampling().maxTokens();
        if (max != null && model.contextLength() > 0 && max > model.contextLength()) {
            throw new InfercoreException(ErrorKind.INVALID_REQUEST, "max_tokens (" + max
                    + ") exceeds the context length of model '" + model.name() + "' (" + model.contextLength()
                    + " tokens)", "max_tokens", null);
        }
    }
}
