package io.infercore.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.SamplingParams;
import io.infercore.error.InfercoreException;
import io.infercore.inference.JsonSchemas;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request fields shared by the OpenAI endpoints, translated to infercore's terms. */
final class OpenAiParams {

    private OpenAiParams() {
    }

    /** OpenAI's {@code stream_options}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "OpenAiStreamOptions", description = "Streaming options")
    public record StreamOptions(@Schema(description = "Send a usage chunk before [DONE]") Boolean includeUsage) {
    }

    static boolean includeUsage(StreamOptions options) {
        return options != null && Boolean.TRUE.equals(options.includeUsage());
    }

    /** The most choices one request may ask for: each is a whole generation. */
    static final int MAX_CHOICES = 8;
    /** OpenAI's (and vLLM's) bound on {@code top_logprobs}. */
    static final int MAX_TOP_LOGPROBS = 20;

    /** {@code n}: 1 when unset, else 1 to {@link #MAX_CHOICES}. */
    static int choices(Integer n) {
        if (n == null) {
            return 1;
        }
        if (n < 1 || n > MAX_CHOICES) {
            throw InfercoreException.invalid("n", "n must be between 1 and " + MAX_CHOICES + ", got " + n);
        }
        return n;
    }

    /**
     * Chat's {@code logprobs} and {@code top_logprobs} as the engine's alternative count: null
     * without {@code logprobs: true}; {@code top_logprobs} (0-20, default 0) needs it, as on OpenAI.
     */
    static Integer chatLogprobs(Boolean logprobs, Integer topLogprobs) {
        if (topLogprobs != null) {
            if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
                throw InfercoreException.invalid("top_logprobs", "top_logprobs must be between 0 and "
                        + MAX_TOP_LOGPROBS + ", got " + topLogprobs);
            }
            if (!Boolean.TRUE.equals(logprobs)) {
                throw InfercoreException.invalid("top_logprobs", "top_logprobs requires logprobs: true");
            }
        }
        if (!Boolean.TRUE.equals(logprobs)) {
            return null;
        }
        return topLogprobs == null ? 0 : topLogprobs;
    }

    /** The legacy completion's {@code logprobs}: the number of alternatives per token, 0 to 20 (vLLM's bound). */
    static Integer completionLogprobs(Integer logprobs) {
        if (logprobs != null && (logprobs < 0 || logprobs > MAX_TOP_LOGPROBS)) {
            throw InfercoreException.invalid("logprobs", "logprobs must be between 0 and " + MAX_TOP_LOGPROBS
                    + ", got " + logprobs);
        }
        return logprobs;
    }

    /** As OpenAI and vLLM do: {@code stream_options} without streaming is a mistake worth reporting. */
    static void requireStreamOptionsOnlyWhenStreaming(Boolean stream, StreamOptions options) {
        if (options != null && !Boolean.TRUE.equals(stream)) {
            throw InfercoreException.invalid("stream_options", "stream_options is only allowed when stream is true");
        }
    }

    /**
     * {@code max_completion_tokens} replaces the deprecated {@code max_tokens} and wins when both
     * are set; a non-positive value is reported under the name the client used.
     */
    static SamplingParams sampling(Integer maxTokens, Integer maxCompletionTokens, Double temperature, Double topP,
                                   List<String> stop, Long seed) {
        Integer max = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        if (max != null && max < 1) {
            String param = maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens";
            throw InfercoreException.invalid(param, param + " must be a positive integer, got " + max);
        }
        return new SamplingParams(max, temperature, topP, stop, seed);
    }

    /**
     * The JSON Schema that {@code response_format} asks for: none for {@code text}, any object for
     * {@code json_object}, the given schema for {@code json_schema}. Generation is then
     * grammar-constrained, as {@code /api/v1/llm/structured-generate} is, but the raw text is the
     * answer: OpenAI clients parse {@code content} themselves.
     */
    static ObjectNode schemaOf(ChatCompletionRequest.ResponseFormat format) {
        if (format == null || format.type() == null || "text".equals(format.type())) {
            return null;
        }
        return switch (format.type()) {
            case "json_object" -> JsonNodeFactory.instance.objectNode().put("type", "object");
            case "json_schema" -> {
                JsonNode schema = format.jsonSchema() == null ? null : format.jsonSchema().schema();
                if (schema == null || !schema.isObject()) {
                    throw InfercoreException.invalid("response_format.json_schema.schema",
                            "response_format.json_schema.schema must be a JSON Schema object");
                }
                try {
                    yield JsonSchemas.normalize(schema);
                } catch (InfercoreException e) {
                    throw new InfercoreException(e.kind(), "response_format.json_schema." + e.getMessage(),
                            "response_format.json_schema.schema", null);
                }
            }
            default -> throw InfercoreException.invalid("response_format.type", "response_format.type must be text, "
                    + "json_object or json_schema, got '" + format.type() + "'");
        };
    }

    /**
     * OpenAI's penalties and the extras vLLM and SGLang accept on their OpenAI routes
     * ({@code top_k}, {@code min_p}, {@code ignore_eos}), as {@code engine_args}: each engine
     * honours them or refuses the request naming the field. A zero penalty is OpenAI's default
     * and is dropped, so that clients sending it explicitly work on every engine.
     */
    static Map<String, Object> engineArgs(Double presencePenalty, Double frequencyPenalty, Integer topK, Double minP,
                                          Boolean ignoreEos) {
        Map<String, Object> args = new LinkedHashMap<>();
        penalty(args, "presence_penalty", presencePenalty);
        penalty(args, "frequency_penalty", frequencyPenalty);
        if (topK != null) {
            args.put("top_k", topK);
        }
        if (minP != null) {
            args.put("min_p", minP);
        }
        if (Boolean.TRUE.equals(ignoreEos)) {
            args.put("ignore_eos", true);
        }
        return args;
    }

    private static void penalty(Map<String, Object> args, String name, Double value) {
        if (value == null || value == 0) {
            return;
        }
        if (value.isNaN() || value < -2 || value > 2) {
            throw InfercoreException.invalid(name, name + " must be between -2 and 2, got " + value);
        }
        args.put(name, value);
    }

    /** OpenAI's finish reasons; anything else an engine reports (e.g. {@code abort}) reads as {@code stop}. */
    static String finishReason(String engineReason) {
        if (engineReason == null) {
            return "stop";
        }
        return switch (engineReason) {
            case "stop", "length", "tool_calls", "content_filter" -> engineReason;
            default -> "stop";
        };
    }
}
