package io.infercore.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.ToolChoice;
import io.infercore.inference.Target;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/llm/chat}. */
@Schema(description = "Multi-turn chat request")
public record ChatBody(
        @Schema(description = "Conversation, OpenAI style", required = true) List<Message> messages,
        @Schema(description = "ollama, vllm, sglang or llamacpp; default: the configured default engine") String engineType,
        @Schema(description = "Model name on that engine; default: default_model_name") String modelName,
        @Schema(description = "Run id from /api/v1/models/running, instead of engine_type + model_name") String runId,
        @Schema(description = "Maximum tokens to generate (positive, at most the model's context)") Integer maxTokens,
        @Schema(description = "Sampling temperature, 0-2; 0 is greedy") Double temperature,
        @Schema(description = "Nucleus sampling, greater than 0 and at most 1") Double topP,
        @Schema(description = "Stop sequences (a string or a list)") List<String> stop,
        @Schema(description = "Random seed for reproducible sampling") Long seed,
        @Schema(description = "true: answer as text/event-stream (delta, done, error events)") Boolean stream,
        @Schema(description = "Engine-specific extras (e.g. grammar, regex, top_k); refused where unsupported") Map<String, Object> engineArgs,
        @Schema(description = "Enable or disable the model's thinking mode where supported") Boolean thinking,
        @Schema(description = "Functions the model may call, OpenAI's shape: [{type: function, function: {name, "
                + "description, parameters}}]; ollama, vllm and sglang only") JsonNode tools,
        @Schema(description = "auto (default), required, none (run without the tools) or {type: function, "
                + "function: {name}}") JsonNode toolChoice,
        @Schema(description = "false: at most one call per answer (default true)") Boolean parallelToolCalls) {

    /** One turn. */
    @Schema(description = "A chat message")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(
            @Schema(description = "system, user, assistant or tool", required = true) String role,
            @Schema(description = "Text of the message; may be null on an assistant turn with tool_calls",
                    required = true) String content,
            @Schema(description = "Assistant turn: the calls it made, [{id, type: function, function: {name, "
                    + "arguments}}]") JsonNode toolCalls,
            @Schema(description = "Tool turn: the id of the call this result answers") String toolCallId) {

        public Message(String role, String content) {
            this(role, content, null, null);
        }
    }

    GenerationRequest toRequest() {
        List<ChatMessage> turns = new ArrayList<>();
        for (int i = 0; messages != null && i < messages.size(); i++) {
            Message m = messages.get(i);
            turns.add(m == null ? null : new ChatMessage(m.role(), m.content(), ToolFields.calls(i, m.toolCalls()),
                    m.toolCallId()));
        }
        ToolChoice choice = ToolFields.choice(toolChoice);
        if (parallelToolCalls != null) {
            choice = (choice == null ? ToolChoice.AUTO : choice).withParallel(parallelToolCalls);
        }
        boolean disabled = choice != null && "none".equals(choice.mode());
        return new GenerationRequest(null, null, turns, new SamplingParams(maxTokens, temperature, topP, stop, seed),
                null, engineArgs, thinking, disabled ? null : ToolFields.tools(tools), disabled ? null : choice);
    }

    Target target() {
        return new Target(engineType, modelName, runId);
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
