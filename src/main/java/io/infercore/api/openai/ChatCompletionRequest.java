package io.infercore.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.api.ToolFields;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ToolChoice;
import io.infercore.engine.ToolSpec;
import io.infercore.error.InfercoreException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /v1/chat/completions}, OpenAI's shape. Unknown fields are ignored, unlike on
 * {@code /api/v1}: SDKs send many optional ones ({@code user}, {@code store}, {@code metadata}...)
 * that change nothing here. Fields that would change the answer and cannot be honoured by the
 * engine ({@code logprobs} where the engine has none) are refused instead of ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "OpenAiChatCompletionRequest", description = "OpenAI chat completion request")
public record ChatCompletionRequest(
        @Schema(description = "Model id from GET /v1/models, or engine/model (e.g. ollama/llama3.2); "
                + "default: default_model_name") String model,
        @Schema(description = "Conversation; content is a string or a list of text parts", required = true)
        List<Message> messages,
        @Schema(description = "true: text/event-stream of chat.completion.chunk, ending data: [DONE]") Boolean stream,
        @Schema(description = "{include_usage: true} adds a usage chunk (choices: []) before [DONE]") OpenAiParams.StreamOptions streamOptions,
        @Schema(description = "Maximum tokens to generate (deprecated by OpenAI; max_completion_tokens wins)") Integer maxTokens,
        @Schema(description = "Maximum tokens to generate") Integer maxCompletionTokens,
        @Schema(description = "0-2; 0 is greedy") Double temperature,
        @Schema(description = "Nucleus sampling, greater than 0 and at most 1") Double topP,
        @Schema(description = "Choices to generate, 1 to 8 (default 1); with a seed, choice i samples with seed + i")
        Integer n,
        @Schema(description = "Stop sequences (a string or a list)") List<String> stop,
        @Schema(description = "Random seed for reproducible sampling") Long seed,
        @Schema(description = "{type: text | json_object | json_schema, json_schema: {name, schema}}") ResponseFormat responseFormat,
        @Schema(description = "Functions the model may call: [{type: function, function: {name, description, "
                + "parameters}}]; passed through to ollama, vllm and sglang; on llamacpp the reply is constrained by a grammar built from the tools") JsonNode tools,
        @Schema(description = "auto (default), required, none (the request runs without its tools) or "
                + "{type: function, function: {name}}") JsonNode toolChoice,
        @Schema(description = "false: at most one call per answer (default true); refused by ollama") Boolean parallelToolCalls,
        @Schema(description = "none disables the model's thinking; any other value enables it") String reasoningEffort,
        @Schema(description = "true: each content token's log-probability (vllm, sglang; a 400 names engines "
                + "that have none)") Boolean logprobs,
        @Schema(description = "0-20 most likely tokens per position, with their log-probabilities; needs logprobs: true")
        Integer topLogprobs,
        @Schema(description = "-2 to 2; passed to engines that support it") Double presencePenalty,
        @Schema(description = "-2 to 2; passed to engines that support it") Double frequencyPenalty,
        @Schema(description = "vLLM/SGLang extra: sample from the k most likely tokens") Integer topK,
        @Schema(description = "vLLM/SGLang extra: minimum probability relative to the most likely token") Double minP,
        @Schema(description = "vLLM/SGLang extra: keep generating past end-of-sequence") Boolean ignoreEos) {

    /** One turn. {@code developer} is OpenAI's newer name for {@code system}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OpenAiChatMessage", description = "A chat message")
    public record Message(
            @Schema(description = "system, developer, user, assistant or tool", required = true) String role,
            @Schema(description = "A string, or a list of {type: text, text} parts; may be null on an assistant "
                    + "turn with tool_calls") JsonNode content,
            @Schema(description = "Assistant turn: the calls it made, [{id, type: function, function: {name, "
                    + "arguments}}]") JsonNode toolCalls,
            @Schema(description = "Tool turn: the id of the call this result answers") String toolCallId) {
    }

    /** OpenAI's {@code response_format}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OpenAiResponseFormat", description = "Output format")
    public record ResponseFormat(
            @Schema(description = "text, json_object or json_schema", required = true) String type,
            @Schema(description = "For json_schema: {name, schema, strict}") JsonSchemaFormat jsonSchema) {
    }

    /** The {@code json_schema} member of {@code response_format}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OpenAiJsonSchema", description = "A named JSON Schema")
    public record JsonSchemaFormat(
            @Schema(description = "Name of the schema") String name,
            @Schema(description = "The JSON Schema the output must conform to", required = true) JsonNode schema,
            @Schema(description = "Accepted; the output is always grammar-constrained where the engine can") Boolean strict) {
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** How many choices to generate (checked). */
    int choices() {
        return OpenAiParams.choices(n);
    }

    /** The engine request; every rule shared with {@code /api/v1} is checked later by the inference layer. */
    GenerationRequest toDraft() {
        OpenAiParams.choices(n);
        OpenAiParams.requireStreamOptionsOnlyWhenStreaming(stream, streamOptions);
        Integer alternatives = OpenAiParams.chatLogprobs(logprobs, topLogprobs);
        if (messages == null) {
            throw InfercoreException.invalid("messages", "messages is required: a list of {role, content}");
        }
        List<ChatMessage> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            turns.add(turn(i, messages.get(i)));
        }
        ToolChoice choice = ToolFields.choice(toolChoice);
        if (parallelToolCalls != null) {
            choice = (choice == null ? ToolChoice.AUTO : choice).withParallel(parallelToolCalls);
        }
        List<ToolSpec> functions = ToolFields.tools(tools);
        boolean disabled = choice != null && "none".equals(choice.mode());
        return new GenerationRequest(null, null, turns,
                OpenAiParams.sampling(maxTokens, maxCompletionTokens, temperature, topP, stop, seed),
                OpenAiParams.schemaOf(responseFormat),
                OpenAiParams.engineArgs(presencePenalty, frequencyPenalty, topK, minP, ignoreEos), thinking(),
                disabled ? null : functions, disabled ? null : choice, alternatives);
    }

    private Boolean thinking() {
        if (reasoningEffort == null) {
            return null;
        }
        return !"none".equals(reasoningEffort);
    }

    private static ChatMessage turn(int i, Message m) {
        if (m == null) {
            throw InfercoreException.invalid("messages", "messages[" + i + "] must be an object with role and content");
        }
        String role = "developer".equals(m.role()) ? "system" : m.role();
        return new ChatMessage(role, text(i, m.content()), ToolFields.calls(i, m.toolCalls()), m.toolCallId());
    }

    /** A string, or the text parts of a content list joined; other parts (images, audio) are refused. */
    private static String text(int i, JsonNode content) {
        if (content == null || content.isNull()) {
            return null; // the shared validator names the field
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw InfercoreException.invalid("messages", "messages[" + i + "].content must be a string or a list of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (!"text".equals(type) || !part.path("text").isTextual()) {
                throw InfercoreException.invalid("messages", "messages[" + i + "].content: only {type: text, text} "
                        + "parts are supported, got type '" + type + "'");
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }
}
