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

    static void requireSingleChoice(Integer n) {
        if (n != null && n != 1) {
            throw InfercoreException.invalid("n", "n must be 1: infercore generates one choice per request, got " + n
                    + "; send n separate requests (with different seeds) for more");
        }
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
