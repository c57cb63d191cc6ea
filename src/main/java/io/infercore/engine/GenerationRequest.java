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
 * @param tools      functions the model may call (chat only); empty = none
 * @param toolChoice how tools are used; null = {@link ToolChoice#AUTO} when there are tools
 * @param logprobs   null: no log-probabilities; k (0-20): each generated token's log-probability with its k
 *                   most likely alternatives (needs {@link Capability#LOGPROBS})
 */
public record GenerationRequest(
        String model,
        String prompt,
        List<ChatMessage> messages,
        SamplingParams sampling,
        ObjectNode jsonSchema,
        Map<String, Object> engineArgs,
        Boolean thinking,
        List<ToolSpec> tools,
        ToolChoice toolChoice,
        Integer logprobs) {

    public GenerationRequest {
        sampling = sampling == null ? SamplingParams.defaults() : sampling;
        engineArgs = engineArgs == null ? Map.of() : engineArgs;
        tools = tools == null ? List.of() : List.copyOf(tools);
        toolChoice = tools.isEmpty() ? null : toolChoice == null ? ToolChoice.AUTO : toolChoice;
    }

    /** A request without log-probabilities. */
    public GenerationRequest(String model, String prompt, List<ChatMessage> messages, SamplingParams sampling,
                             ObjectNode jsonSchema, Map<String, Object> engineArgs, Boolean thinking,
                             List<ToolSpec> tools, ToolChoice toolChoice) {
        this(model, prompt, messages, sampling, jsonSchema, engineArgs, thinking, tools, toolChoice, null);
    }

    /** A request without tools. */
    public GenerationRequest(String model, String prompt, List<ChatMessage> messages, SamplingParams sampling,
                             ObjectNode jsonSchema, Map<String, Object> engineArgs, Boolean thinking) {
        this(model, prompt, messages, sampling, jsonSchema, engineArgs, thinking, null, null);
    }

    public boolean isChat() {
        return messages != null;
    }

    public boolean hasTools() {
        return !tools.isEmpty();
    }

    /** True when the request declares tools or its conversation carries tool calls: both need {@link Capability#TOOLS}. */
    public boolean usesTools() {
        return hasTools() || (messages != null && messages.stream().anyMatch(m -> m != null && m.hasToolCalls()));
    }

    public GenerationRequest withJsonSchema(ObjectNode schema) {
        return new GenerationRequest(model, prompt, messages, sampling, schema, engineArgs, thinking, tools, toolChoice, logprobs);
    }

    /** This request with {@code defaults} added to its engine arguments where it sets none of its own. */
    public GenerationRequest withEngineArgDefaults(Map<String, Object> defaults) {
        if (defaults.isEmpty() || engineArgs.keySet().containsAll(defaults.keySet())) {
            return this;
        }
        Map<String, Object> merged = new java.util.LinkedHashMap<>(defaults);
        merged.putAll(engineArgs);
        return new GenerationRequest(model, prompt, messages, sampling, jsonSchema, merged, thinking, tools, toolChoice, logprobs);
    }

    /** This request for {@code resolvedModel}, with the thinking setting routing decided. */
    public GenerationRequest routedTo(String resolvedModel, Boolean resolvedThinking) {
        return new GenerationRequest(resolvedModel, prompt, messages, sampling, jsonSchema, engineArgs, resolvedThinking,
                tools, toolChoice, logprobs);
    }

    /** This request asking for each token's log-probability and its {@code top} most likely alternatives. */
    public GenerationRequest withLogprobs(Integer top) {
        return new GenerationRequest(model, prompt, messages, sampling, jsonSchema, engineArgs, thinking, tools,
                toolChoice, top);
    }

    /** This request with other sampling settings (e.g. another seed for another choice). */
    public GenerationRequest withSampling(SamplingParams other) {
        return new GenerationRequest(model, prompt, messages, other, jsonSchema, engineArgs, thinking, tools,
                toolChoice, logprobs);
    }
}
