package io.infercore.engine.sglang;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.Usage;
import io.infercore.engine.http.EngineHttp;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SGLang's native {@code POST /generate}, used for raw prompts: it takes the prompt as is and
 * the {@code regex} / {@code ebnf} / {@code json_schema} constraints in {@code sampling_params}
 * ({@code json_schema} as a JSON-encoded string). Its stream chunks carry the whole text so far
 * (servers started with {@code --incremental-streaming-output} are not supported), so deltas are
 * cut by offset; {@code meta_info.finish_reason} is an object whose {@code type} is the reason.
 */
final class SglangNative {

    private final EngineHttp http;

    SglangNative(EngineHttp http) {
        this.http = http;
    }

    Multi<StreamEvent> stream(GenerationRequest request, Map<String, Object> constraints) {
        Map<String, Object> body = body(request, constraints);
        body.put("stream", true);
        return Multi.createFrom().deferred(() -> {
            int[] sent = {0};
            JsonNode[] last = {null};
            return http.sse("/generate", body, request.model())
                    .<StreamEvent>concatMap(chunk -> {
                        last[0] = chunk;
                        String text = chunk.path("text").asText("");
                        if (text.length() <= sent[0]) {
                            return Multi.createFrom().empty();
                        }
                        String delta = text.substring(sent[0]);
                        sent[0] = text.length();
                        return Multi.createFrom().item(StreamEvent.Delta.text(delta));
                    })
                    .onCompletion().continueWith(() -> List.of(new StreamEvent.Done(finish(last[0]), usage(last[0]))));
        });
    }

    Uni<GenerationResult> generate(GenerationRequest request, Map<String, Object> constraints) {
        return http.postJson("/generate", body(request, constraints), request.model())
                .map(answer -> {
                    if (!answer.path("text").isTextual()) {
                        String shown = answer.toString();
                        throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "sglang at " + http.endpoint().displayUrl()
                                + " answered /generate without text: "
                                + (shown.length() > 300 ? shown.substring(0, 300) + "..." : shown));
                    }
                    return new GenerationResult(answer.path("text").asText(), null, finish(answer), usage(answer));
                });
    }

    private static Map<String, Object> body(GenerationRequest request, Map<String, Object> constraints) {
        SamplingParams s = request.sampling();
        Map<String, Object> sampling = new LinkedHashMap<>(EngineHttp.body("max_new_tokens", s.maxTokens(),
                "temperature", s.temperature(), "top_p", s.topP(), "sampling_seed", s.seed(),
                "stop", s.stopOrEmpty().isEmpty() ? null : s.stopOrEmpty()));
        sampling.putAll(constraints);
        if (request.jsonSchema() != null) {
            sampling.put("json_schema", request.jsonSchema().toString());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", request.prompt());
        body.put("sampling_params", sampling);
        return body;
    }

    private static String finish(JsonNode answer) {
        JsonNode reason = answer == null ? null : answer.path("meta_info").get("finish_reason");
        if (reason == null || reason.isNull()) {
            return "stop";
        }
        return reason.isObject() ? reason.path("type").asText("stop") : reason.asText();
    }

    private static Usage usage(JsonNode answer) {
        if (answer == null) {
            return Usage.EMPTY;
        }
        JsonNode meta = answer.path("meta_info");
        return new Usage(meta.path("prompt_tokens").asInt(0), meta.path("completion_tokens").asInt(0));
    }
}
