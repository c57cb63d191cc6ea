package io.infercore.api.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.api.ToolFields;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.ToolCall;
import io.infercore.error.InfercoreException;
import io.infercore.inference.JsonSchemas;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of Ollama's server API and their translation into engine requests. Unknown fields
 * are ignored, as Ollama ignores them; fields that would change the answer and cannot be
 * honoured ({@code images}, {@code suffix}, {@code template}, {@code context}) are refused.
 * {@code keep_alive} is accepted and has no effect: engines keep their models loaded.
 */
final class OllamaRequests {

    private OllamaRequests() {
    }

    /** {@code POST /api/chat}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OllamaChatRequest", description = "Ollama chat request")
    public record Chat(
            @Schema(description = "Model name from GET /api/tags, a run_id, or engine/model") String model,
            @Schema(description = "[{role, content, thinking?, tool_calls?}]") List<Message> messages,
            @Schema(description = "Functions the model may call: [{type: function, function: {name, description, "
                    + "parameters}}]") JsonNode tools,
            @Schema(description = "\"json\" or a JSON Schema object: constrained output") JsonNode format,
            @Schema(description = "num_predict, temperature, top_p, seed, stop, num_ctx (others are ignored)")
            JsonNode options,
            @Schema(description = "Default true: NDJSON lines ending with done: true") Boolean stream,
            @Schema(description = "Accepted, no effect") JsonNode keepAlive,
            @Schema(description = "true/false, or low/medium/high (= true)") JsonNode think) {
    }

    /** One chat turn in Ollama's shape: tool-call arguments are an object, tool results name the tool. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OllamaMessage", description = "A chat message")
    public record Message(String role, String content, String thinking, JsonNode images, JsonNode toolCalls,
                          String toolName, String toolCallId) {
    }

    /** {@code POST /api/generate}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OllamaGenerateRequest", description = "Ollama generate request")
    public record Generate(String model, String prompt, String system, String suffix, String template, Boolean raw,
                           JsonNode images, JsonNode context, JsonNode format, JsonNode options, Boolean stream,
                           JsonNode keepAlive, JsonNode think) {
    }

    /** {@code POST /api/embed}: {@code input} is a string or a list of strings. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OllamaEmbedRequest", description = "Ollama embed request")
    public record Embed(String model, JsonNode input, Boolean truncate, Integer dimensions, JsonNode options,
                        JsonNode keepAlive) {
    }

    /** {@code POST /api/embeddings}, the older single-text form. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OllamaEmbeddingsRequest", description = "Ollama legacy embeddings request")
    public record Embeddings(String model, String prompt, JsonNode options, JsonNode keepAlive) {
    }

    /** {@code POST /api/show}; older clients send {@code name}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OllamaShowRequest", description = "Ollama show request")
    public record Show(String model, String name, Boolean verbose) {
        String target() {
            return model != null && !model.isBlank() ? model : name;
        }
    }

    static boolean streaming(Boolean stream) {
        return stream == null || stream; // Ollama streams unless told not to
    }

    /** A request that only loads (or, with {@code keep_alive: 0}, unloads) the model: nothing to generate. */
    static boolean onlyLoads(Chat b) {
        return b.messages() != null && b.messages().isEmpty();
    }

    static boolean onlyLoads(Generate b) {
        return (b.prompt() == null || b.prompt().isEmpty()) && (b.system() == null || b.system().isEmpty());
    }

    static boolean unloads(JsonNode keepAlive) {
        return keepAlive != null && ((keepAlive.isNumber() && keepAlive.asDouble() == 0)
                || (keepAlive.isTextual() && keepAlive.asText().matches("0+[a-z]*")));
    }

    static GenerationRequest chat(Chat b) {
        if (b.messages() == null) {
            throw InfercoreException.invalid("messages", "messages is required: a list of {role, content}");
        }
        List<ChatMessage> turns = new ArrayList<>(b.messages().size());
        List<ToolCall> unanswered = new ArrayList<>();
        for (int i = 0; i < b.messages().size(); i++) {
            turns.add(paired(i, turn(i, b.messages().get(i)), b.messages().get(i).toolName(), unanswered));
        }
        return new GenerationRequest(null, null, turns, sampling(b.options()), schema(b.format()), null,
                thinking(b.think()), ToolFields.tools(b.tools()), null);
    }

    /**
     * A prompt is sent as it is; with {@code system}, the two become a system and a user turn, which
     * is what Ollama's template does with them ({@code raw} skips no template here: infercore's
     * generate never applies one).
     */
    static GenerationRequest generate(Generate b) {
        refuse("images", b.images() != null && !b.images().isNull() && !b.images().isEmpty(),
                "images are not supported by infercore");
        refuse("suffix", b.suffix() != null && !b.suffix().isEmpty(), "suffix (fill-in-the-middle) is not supported");
        refuse("template", b.template() != null && !b.template().isEmpty(), "template is not supported: the "
                + "engine's own template applies");
        refuse("context", b.context() != null && !b.context().isNull() && !b.context().isEmpty(),
                "context (token ids of an earlier answer) is not supported: use /api/chat with the conversation");
        if (b.system() != null && !b.system().isEmpty()) {
            List<ChatMessage> turns = List.of(new ChatMessage("system", b.system()),
                    new ChatMessage("user", b.prompt() == null ? "" : b.prompt()));
            return new GenerationRequest(null, null, turns, sampling(b.options()), schema(b.format()), null,
                    thinking(b.think()));
        }
        return new GenerationRequest(null, b.prompt(), null, sampling(b.options()), schema(b.format()), null,
                thinking(b.think()));
    }

    /**
     * Ollama pairs a tool result with its call by order and {@code tool_name}, without ids (its
     * Python library drops them); engines of the OpenAI kind need the id. Calls without one get
     * {@code call_<turn>_<n>}, and a result without {@code tool_call_id} takes the id of the first
     * unanswered call of the same name (of any name when it names none).
     */
    private static ChatMessage paired(int i, ChatMessage m, String name, List<ToolCall> unanswered) {
        if (m.hasToolCalls()) {
            List<ToolCall> calls = new ArrayList<>(m.toolCalls().size());
            for (ToolCall call : m.toolCalls()) {
                String id = call.id() != null && !call.id().isBlank() ? call.id() : "call_" + i + "_" + calls.size();
                calls.add(new ToolCall(id, call.name(), call.arguments()));
            }
            unanswered.addAll(calls);
            return new ChatMessage(m.role(), m.content(), calls, m.toolCallId());
        }
        if (!"tool".equals(m.role())) {
            return m;
        }
        ToolCall answered = null;
        for (ToolCall call : unanswered) {
            if (m.toolCallId() != null ? m.toolCallId().equals(call.id()) : name == null || name.equals(call.name())) {
                answered = call;
                break;
            }
        }
        if (answered == null) {
            return m;
        }
        unanswered.remove(answered);
        return new ChatMessage(m.role(), m.content(), null, answered.id());
    }

    private static ChatMessage turn(int i, Message m) {
        if (m == null) {
            throw InfercoreException.invalid("messages", "messages[" + i + "] must be an object with role and content");
        }
        refuse("messages", m.images() != null && !m.images().isNull() && !m.images().isEmpty(),
                "messages[" + i + "].images: images are not supported by infercore");
        String content = m.content();
        if (content == null && !"assistant".equals(m.role())) {
            content = ""; // Ollama treats a missing content as empty
        }
        return new ChatMessage(m.role(), content, ToolFields.calls(i, m.toolCalls()), m.toolCallId());
    }

    /**
     * Ollama's {@code options}: {@code num_predict} (negative = no limit), {@code temperature},
     * {@code top_p}, {@code seed}, {@code stop}. {@code num_ctx} is checked and accepted: the
     * context size belongs to the loaded model (the engine's or the run's), as on every other
     * route. Other options ({@code top_k}, {@code repeat_penalty}, {@code num_thread}...) are
     * ignored, as Ollama ignores the ones a runner does not use.
     */
    static SamplingParams sampling(JsonNode options) {
        if (options == null || options.isNull()) {
            return SamplingParams.defaults();
        }
        if (!options.isObject()) {
            throw InfercoreException.invalid("options", "options must be an object");
        }
        Integer max = null;
        JsonNode predict = options.get("num_predict");
        if (predict != null && !predict.isNull()) {
            requireInteger("options.num_predict", predict);
            max = predict.asInt() < 0 ? null : predict.asInt();
            refuse("options.num_predict", max != null && max == 0, "options.num_predict must be positive, or "
                    + "negative for no limit; got 0");
        }
        JsonNode ctx = options.get("num_ctx");
        if (ctx != null && !ctx.isNull()) {
            requireInteger("options.num_ctx", ctx);
            refuse("options.num_ctx", ctx.asInt() < 1, "options.num_ctx must be a positive integer");
        }
        return new SamplingParams(max, number(options, "temperature"), number(options, "top_p"), stop(options),
                options.hasNonNull("seed") ? seed(options.get("seed")) : null);
    }

    private static Double number(JsonNode options, String name) {
        JsonNode value = options.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        refuse("options." + name, !value.isNumber(), "options." + name + " must be a number");
        return value.asDouble();
    }

    private static Long seed(JsonNode seed) {
        requireInteger("options.seed", seed);
        return seed.asLong();
    }

    private static List<String> stop(JsonNode options) {
        JsonNode stop = options.get("stop");
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        refuse("options.stop", !stop.isArray(), "options.stop must be a list of strings");
        List<String> out = new ArrayList<>();
        stop.forEach(s -> {
            refuse("options.stop", !s.isTextual(), "options.stop must be a list of strings");
            out.add(s.asText());
        });
        return out;
    }

    /** {@code format}: {@code "json"} (any JSON object) or a JSON Schema; empty means free text. */
    static ObjectNode schema(JsonNode format) {
        if (format == null || format.isNull() || (format.isTextual() && format.asText().isEmpty())) {
            return null;
        }
        if (format.isTextual()) {
            refuse("format", !"json".equals(format.asText()), "format must be \"json\" or a JSON Schema object, got \""
                    + format.asText() + "\"");
            return JsonNodeFactory.instance.objectNode().put("type", "object");
        }
        refuse("format", !format.isObject(), "format must be \"json\" or a JSON Schema object");
        try {
            return JsonSchemas.normalize(format);
        } catch (InfercoreException e) {
            throw new InfercoreException(e.kind(), "format: " + e.getMessage(), "format", null);
        }
    }

    /** {@code think}: a boolean, or a level (low, medium, high) that models with levels take; a level means on. */
    static Boolean thinking(JsonNode think) {
        if (think == null || think.isNull()) {
            return null;
        }
        if (think.isBoolean()) {
            return think.asBoolean();
        }
        refuse("think", !think.isTextual() || !List.of("low", "medium", "high").contains(think.asText()),
                "think must be true, false, \"low\", \"medium\" or \"high\"");
        return true;
    }

    /** {@code input}: one string or a list of strings. */
    static List<String> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw InfercoreException.invalid("input", "input is required: a string or a list of strings");
        }
        if (input.isTextual()) {
            return List.of(input.asText());
        }
        refuse("input", !input.isArray(), "input must be a string or a list of strings");
        List<String> out = new ArrayList<>(input.size());
        input.forEach(s -> {
            refuse("input", !s.isTextual(), "input must be a string or a list of strings");
            out.add(s.asText());
        });
        return out;
    }

    private static void requireInteger(String name, JsonNode value) {
        refuse(name, !value.isIntegralNumber(), name + " must be an integer");
    }

    static void refuse(String param, boolean condition, String message) {
        if (condition) {
            throw InfercoreException.invalid(param, message);
        }
    }
}
