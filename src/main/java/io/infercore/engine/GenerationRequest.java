package io.infercore.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * One generation as the engine layer sees it: either a raw {@code prompt} (generate) or
 * {@code messages} (chat), never both.
 *
 * @param model      the engine-side model name, already resolved
 * @param jsonSchema when set, output must conform to this JSON Schema (structured output)
 * @param engineArgs engine-specific extras (e.g. {@code regex}); adapters refuse what they cannot honour
 * @param thinking   enable or disable reasoning where the engine supports it; null = engine default
 */
public record GenerationRequest(
        String model,
        String prompt,
        List<ChatMessage> messages,
        SamplingParams sampling,
        ObjectNode jsonSchema,
        Map<String, Object> engineArgs,
        Boolean thinking) {

    public GenerationRequest {
        sampling = sampling == null ? SamplingParams.defaults() : sampling;
        engineArgs = engineArgs == null ? Map.of() : engineArgs;
    }

    public boolean isChat() {
        return messages != null;
    }


    public GenerationRequest withJsonSchema(ObjectNode schema) {
        return new GenerationRequest(model, prompt, messages, sampling, schema, engineArgs, thinking);
    }
}
