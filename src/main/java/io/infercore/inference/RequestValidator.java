package io.infercore.inference;

import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.SamplingParams;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.util.List;
import java.util.Set;

/**
 * The request rules every entry point shares (native API, OpenAI API, Java API). Each failure
 * is a 400 whose message names the field and the allowed range.
 */
public final class RequestValidator {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    static final int MAX_STOP_SEQUENCES = 16;

    private RequestValidator() {
    }

    public static void validate(GenerationRequest request) {
        if (request.isChat()) {
            validateMessages(request.messages());
        } else if (request.prompt() == null || request.prompt().isBlank()) {
            throw InfercoreException.invalid("prompt", "prompt must be a non-empty string");
        }
        validateSampling(request.sampling());
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
            if (m.content() == null) {
                throw InfercoreException.invalid("messages", "messages[" + i + "].content must be a string");
            }
        }
        if (messages.stream().allMatch(m -> m.content().isBlank())) {
            throw InfercoreException.invalid("messages", "messages must contain some non-empty content");
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
